package model

import "testing"

func TestFindingIdentity(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Finding
		want string
	}{
		{"should keep a stored fingerprint", Finding{Rule: "OWN001", Source: "gh", Item: "a/b#1", Fingerprint: "stored"}, "stored"},
		{"should derive a missing fingerprint", Finding{Rule: "OWN001", Source: "gh", Item: "a/b#1"}, Fingerprint("OWN001", "gh", "a/b#1")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.Identity(); got != tc.want {
				t.Errorf("Identity() = %q, want %q", got, tc.want)
			}
		})
	}
}
