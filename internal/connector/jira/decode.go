package jira

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
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
	pt := d.m.pageType()
	if pt == nil { // a custom id clashes with a system field name
		return json.Unmarshal(body, d.page)
	}
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
		for k, id := range pt.custom {
			if raw := fv.Field(nsys + k).Bytes(); len(raw) > 0 {
				if ri.Fields == nil {
					ri.Fields = make(map[string]json.RawMessage, len(pt.custom))
				}
				ri.Fields[id] = raw
			}
		}
	}
	return nil
}

// pageTypes are the struct types of one fetch's search pages.
type pageTypes struct {
	page, fields reflect.Type
	custom       []string // custom field ids, in field order after the system fields
}

// pageType builds the page types once per mapping; nil when a custom field
// id equals a system field's JSON name (then the generic decoding is used).
func (m *mapping) pageType() *pageTypes {
	m.typeOnce.Do(func() {
		sys := reflect.TypeFor[issueFields]()
		var fs []reflect.StructField
		taken := map[string]bool{}
		for i := 0; i < sys.NumField(); i++ {
			f := sys.Field(i)
			fs = append(fs, reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag})
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			taken[name] = true
		}
		var ids []string
		for _, r := range m.custom {
			ids = append(ids, r.Field.ID)
		}
		ids = append(ids, m.epicLink, m.parentLink)
		pt := &pageTypes{}
		seen := map[string]bool{}
		for _, id := range ids {
			if id == "" || seen[id] {
				continue
			}
			seen[id] = true
			if taken[id] || strings.ContainsAny(id, `",\`) {
				return
			}
			fs = append(fs, reflect.StructField{Name: "C" + strconv.Itoa(len(pt.custom)), Type: reflect.TypeFor[json.RawMessage](),
				Tag: reflect.StructTag(`json:"` + id + `"`)})
			pt.custom = append(pt.custom, id)
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
		m.types = pt
	})
	return m.types
}

// mappingTypes is embedded in mapping: the lazily built page types.
type mappingTypes struct {
	typeOnce sync.Once
	types    *pageTypes
}
