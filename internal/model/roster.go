package model

import "strings"

// Roster is the people and teams an organisation declares, with an index from
// tracker accounts to people. Build it with NewRoster; the zero value is an
// empty roster.
type Roster struct {
	People []Person `json:"people"`
	Teams  []Team   `json:"teams,omitempty"`

	byID      map[string]int
	byAccount map[string]int
	kinds     []Tracker // the account kinds the people hold, in lookup order
}

// NewRoster indexes people and teams. Later people do not override earlier
// ones on a shared account: config validation reports such clashes.
func NewRoster(people []Person, teams []Team) *Roster {
	r := &Roster{People: people, Teams: teams}
	r.index()
	return r
}

func (r *Roster) index() {
	r.byID = make(map[string]int, len(r.People))
	r.byAccount = make(map[string]int, 3*len(r.People))
	add := func(k string, i int) {
		if k == "" {
			return
		}
		if _, ok := r.byAccount[k]; !ok {
			r.byAccount[k] = i
		}
	}
	kinds := map[Tracker]bool{}
	for i := range r.People {
		p := &r.People[i]
		r.byID[p.ID] = i
		for _, k := range p.Accounts.Kinds() {
			add(accountKey(k, p.Accounts[k]), i)
			kinds[k] = true
		}
	}
	r.kinds = r.kinds[:0]
	for k := range kinds {
		r.kinds = append(r.kinds, k)
	}
	SortAccountKinds(r.kinds)
}

func accountKey(kind Tracker, v string) string {
	if v == "" {
		return ""
	}
	return string(kind) + "\x00" + strings.ToLower(strings.TrimSpace(v))
}

// Person returns the person with roster id id, or nil.
func (r *Roster) Person(id string) *Person {
	if r == nil || id == "" {
		return nil
	}
	if r.byID == nil {
		r.index()
	}
	if i, ok := r.byID[id]; ok {
		return &r.People[i]
	}
	return nil
}

// Lookup finds the person an account belongs to: by the tracker handle (login,
// then user key) and then by email, across trackers. It returns nil when no
// roster person matches.
func (r *Roster) Lookup(a Account) *Person {
	if r == nil {
		return nil
	}
	if r.byAccount == nil {
		r.index()
	}
	for _, k := range []string{accountKey(a.Tracker, a.Login), accountKey(a.Tracker, a.Key), accountKey(AccountEmail, a.Email)} {
		if k == "" {
			continue
		}
		if i, ok := r.byAccount[k]; ok {
			return &r.People[i]
		}
	}
	return nil
}

// LookupText matches free text — a Projects v2 text field, an owner/ label
// suffix, a tracker's text field — against roster ids, tracker handles, emails and
// full names, case-insensitively. A leading "@" is ignored.
func (r *Roster) LookupText(s string) *Person {
	if r == nil {
		return nil
	}
	s = strings.TrimPrefix(strings.TrimSpace(s), "@")
	if s == "" {
		return nil
	}
	if p := r.Person(s); p != nil {
		return p
	}
	if r.byAccount == nil {
		r.index()
	}
	for _, t := range r.kinds {
		if i, ok := r.byAccount[accountKey(t, s)]; ok {
			return &r.People[i]
		}
	}
	for i := range r.People {
		if strings.EqualFold(r.People[i].ID, s) || (r.People[i].Name != "" && strings.EqualFold(r.People[i].Name, s)) {
			return &r.People[i]
		}
	}
	return nil
}

// Team returns the team named name, or nil.
func (r *Roster) Team(name string) *Team {
	if r == nil {
		return nil
	}
	for i := range r.Teams {
		if r.Teams[i].Name == name {
			return &r.Teams[i]
		}
	}
	return nil
}
