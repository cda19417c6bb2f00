package markdown

import "testing"

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		name, got, want string
	}{
		{"should say one in the singular", Plural(1, "source"), "1 source"},
		{"should add s", Plural(2, "problem"), "2 problems"},
		{"should turn y into ies", Plural(3, "entry"), "3 entries"},
		{"should keep ey", Plural(2, "key"), "2 keys"},
		{"should use an irregular plural", Plural(2, "person", "people"), "2 people"},
		{"should use the singular of an irregular word for one", Plural(1, "person", "people"), "1 person"},
		{"should say zero in the plural", Plural(0, "team"), "0 teams"},
		{"should keep a value", OrNone("PAY"), "PAY"},
		{"should name an empty value", OrNone(""), "(none)"},
		{"should keep an error text", OrUnknown("boom"), "boom"},
		{"should name an empty error text", OrUnknown(""), "unknown error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}
