package jira

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/pomlint/pomlint/internal/model"
)

// Decoding a search page is most of the client's CPU time on a large fetch.
// The custom field ids vary by site, so a static struct cannot hold them;
// decoding into map[string]json.RawMessage and then each field again reads
// every byte about four times. Instead a struct type is built once per fetch
// (reflect.StructOf) with the system fields of issueFields plus one
// json.RawMessage per custom field id the fetch asks for, and a page is
// decoded into it in a single json.Unmarshal.

// bodyDecoder is a get destination that decodes the body itself.
type bodyDecoder interface {
	decode(body []byte) error
}

// pageDest decodes a search page for a mapping into page.
type pageDest struct {
	m    *mapping
	page *searchPage
}

func (d pageDest) decode(body []byte) error {
	typed, raw := d.m.pageType()
	if raw == nil { // a custom id clashes with a system field name
		return json.Unmarshal(body, d.page)
	}
	if typed != nil && d.decodeAs(typed, body) == nil {
		return nil
	}
	// A value that does not have the shape its field's schema promises:
	// read every custom field raw.
	return d.decodeAs(raw, body)
}

func (d pageDest) decodeAs(pt *pageTypes, body []byte) error {
	v := reflect.New(pt.page)
	if err := json.Unmarshal(body, v.Interface()); err != nil {
		return err
	}
	pv := v.Elem()
	d.page.IsLast = pv.Field(1).Interface().(*bool)
	d.page.NextPageToken = pv.Field(2).String()
	d.page.StartAt = int(pv.Field(3).Int())
	d.page.MaxResults = int(pv.Field(4).Int())
	d.page.Total = pv.Field(5).Interface().(*int)
	issues := pv.Field(0)
	d.page.Issues = make([]rawIssue, issues.Len())
	nsys := pt.fields.NumField() - len(pt.custom) // custom ids follow the system fields
	for i := range d.page.Issues {
		iv := issues.Index(i)
		ri := &d.page.Issues[i]
		ri.Key = iv.Field(0).String()
		fv := iv.Field(1)
		f := new(issueFields)
		sv := reflect.ValueOf(f).Elem()
		for k := 0; k < nsys; k++ {
			sv.Field(k).Set(fv.Field(k))
		}
		ri.decoded = f
		for k, c := range pt.custom {
			cv := fv.Field(nsys + k)
			switch c.kind {
			case kindRaw:
				if raw := cv.Bytes(); len(raw) > 0 {
					if ri.Fields == nil {
						ri.Fields = make(map[string]json.RawMessage, len(pt.custom))
					}
					ri.Fields[c.id] = raw
				}
				continue
			case kindObject:
				if cv.IsNil() {
					continue
				}
				ri.setValue(c.id, cv.Interface().(*jiraObject).value(d.m.cloud))
			case kindObjects:
				var fvs model.FieldValue
				var texts []string
				for _, o := range cv.Interface().([]jiraObject) {
					ov := o.value(d.m.cloud)
					fvs.Users = append(fvs.Users, ov.Users...)
					if ov.Text != "" {
						texts = append(texts, ov.Text)
					}
				}
				fvs.Text = strings.Join(texts, ", ")
				ri.setValue(c.id, fvs)
			}
		}
	}
	return nil
}

func (ri *rawIssue) setValue(id string, v model.FieldValue) {
	if ri.values == nil {
		ri.values = map[string]model.FieldValue{}
	}
	ri.values[id] = v
}

// jiraObject is a custom field value object: a user (user pickers) or an
// option, version or component (value, name, key).
type jiraObject struct {
	AccountID    *string `json:"accountId"`
	Name         string  `json:"name"`
	Key          string  `json:"key"`
	EmailAddress *string `json:"emailAddress"`
	DisplayName  string  `json:"displayName"`
	Active       *bool   `json:"active"`
	Value        string  `json:"value"`
}

// value maps the object: a user has an accountId, an emailAddress, or a
// name with a displayName; anything else is text (value, name or key).
func (o *jiraObject) value(cloud bool) model.FieldValue {
	if o.AccountID != nil || o.EmailAddress != nil || (o.Name != "" && o.DisplayName != "") {
		u := jiraUser{Name: o.Name, Key: o.Key, DisplayName: o.DisplayName, Active: o.Active}
		if o.AccountID != nil {
			u.AccountID = *o.AccountID
		}
		if o.EmailAddress != nil {
			u.EmailAddress = *o.EmailAddress
		}
		return model.FieldValue{Users: []model.Account{account(&u, cloud)}}
	}
	for _, s := range []string{o.Value, o.Name, o.Key} {
		if s != "" {
			return model.FieldValue{Text: s}
		}
	}
	return model.FieldValue{}
}

// Ways a custom field is decoded in the page pass.
const (
	kindRaw     = iota // json.RawMessage, mapped by fieldValue
	kindObject         // *jiraObject: user pickers, single selects
	kindObjects        // []jiraObject: multi-user pickers, multi selects
)

type customField struct {
	id   string
	kind int
}

// pageTypes are the struct types of one fetch's search pages.
type pageTypes struct {
	page, fields reflect.Type
	custom       []customField // in field order after the system fields
}

// pageType builds the page types once per mapping: typed decodes user and
// option fields by their schema (nil when no field has such a schema), raw
// reads every custom field as json.RawMessage. Both are nil when a custom
// field id equals a system field's JSON name (then the generic decoding is
// used).
func (m *mapping) pageType() (typed, raw *pageTypes) {
	m.typeOnce.Do(func() {
		kinds := map[string]int{}
		for _, r := range m.custom {
			switch sc := r.Field.Schema; {
			case sc.Type == "user" || sc.Type == "option":
				kinds[r.Field.ID] = kindObject
			case sc.Type == "array" && (sc.Items == "user" || sc.Items == "option"):
				kinds[r.Field.ID] = kindObjects
			}
		}
		var ids []string
		for _, r := range m.custom {
			ids = append(ids, r.Field.ID)
		}
		ids = append(ids, m.epicLink, m.parentLink)
		m.rawTypes = buildPageTypes(ids, nil)
		if m.rawTypes != nil && len(kinds) > 0 {
			m.typedTypes = buildPageTypes(ids, kinds)
		}
	})
	return m.typedTypes, m.rawTypes
}

// buildPageTypes returns the page types for the custom field ids, or nil
// when an id clashes with a system field.
func buildPageTypes(ids []string, kinds map[string]int) *pageTypes {
	sys := reflect.TypeFor[issueFields]()
	var fs []reflect.StructField
	taken := map[string]bool{}
	for i := 0; i < sys.NumField(); i++ {
		f := sys.Field(i)
		fs = append(fs, reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag})
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		taken[name] = true
	}
	pt := &pageTypes{}
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		if taken[id] || strings.ContainsAny(id, `",\`) {
			return nil
		}
		kind := kinds[id]
		t := reflect.TypeFor[json.RawMessage]()
		switch kind {
		case kindObject:
			t = reflect.TypeFor[*jiraObject]()
		case kindObjects:
			t = reflect.TypeFor[[]jiraObject]()
		}
		fs = append(fs, reflect.StructField{Name: "C" + strconv.Itoa(len(pt.custom)), Type: t,
			Tag: reflect.StructTag(`json:"` + id + `"`)})
		pt.custom = append(pt.custom, customField{id: id, kind: kind})
	}
	pt.fields = reflect.StructOf(fs)
	issue := reflect.StructOf([]reflect.StructField{
		{Name: "Key", Type: reflect.TypeFor[string](), Tag: `json:"key"`},
		{Name: "Fields", Type: pt.fields, Tag: `json:"fields"`},
	})
	pt.page = reflect.StructOf([]reflect.StructField{
		{Name: "Issues", Type: reflect.SliceOf(issue), Tag: `json:"issues"`},
		{Name: "IsLast", Type: reflect.TypeFor[*bool](), Tag: `json:"isLast"`},
		{Name: "NextPageToken", Type: reflect.TypeFor[string](), Tag: `json:"nextPageToken"`},
		{Name: "StartAt", Type: reflect.TypeFor[int](), Tag: `json:"startAt"`},
		{Name: "MaxResults", Type: reflect.TypeFor[int](), Tag: `json:"maxResults"`},
		{Name: "Total", Type: reflect.TypeFor[*int](), Tag: `json:"total"`},
	})
	return pt
}

// mappingTypes is embedded in mapping: the lazily built page types.
type mappingTypes struct {
	typeOnce             sync.Once
	typedTypes, rawTypes *pageTypes
}
