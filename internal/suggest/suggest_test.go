package suggest

import "testing"

func TestClosest(t *testing.T) {
	for _, tc := range []struct {
		in   string
		from []string
		want string
	}{
		{"repoz", []string{"orgs", "repos", "projects"}, "repos"},
		{"Conditon", []string{"condition", "message"}, "condition"},
		{"bobb", []string{"alice", "bob"}, "bob"},
		{"zzzzzz", []string{"alice", "bob"}, ""},
		{"x", nil, ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := Closest(tc.in, tc.from); got != tc.want {
				t.Fatalf("Closest(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
