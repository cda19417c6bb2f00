package config_test

import (
	"os"
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/config"
)

func TestInsecureURLs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		source string // the first source of validYAML, replaced
		want   []string
	}{
		{"should warn on http to a remote GitHub host", "github: {base_url: \"http://ghes.acme.example/api/v3/\", repos: [acme/payments]}", []string{"sources[0].github.base_url"}},
		{"should warn on http to a remote Jira site", "kind: jira\n    jira: {url: \"HTTP://jira.acme.example\", jql: project = PAY}", []string{"sources[0].jira.url"}},
		{"should warn on an http GraphQL URL", "github: {base_url: \"https://x.example/\", graphql_url: \"http://10.0.0.8/graphql\", repos: [acme/payments]}", []string{"sources[0].github.graphql_url"}},
		{"should accept https", "github: {base_url: \"https://api.github.com/\", repos: [acme/payments]}", nil},
		{"should accept http to localhost", "kind: jira\n    jira: {url: \"http://localhost:8080\", jql: project = PAY}", nil},
		{"should accept http to a loopback address", "github: {base_url: \"http://127.0.0.1:9999/\", graphql_url: \"http://[::1]:9999/graphql\", repos: [acme/payments]}", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from := "github:\n      repos: [acme/payments]"
			if strings.HasPrefix(tc.source, "kind:") {
				from = "kind: github\n    " + from
			}
			body := strings.Replace(validYAML, from, tc.source, 1)
			if body == validYAML {
				t.Fatalf("%q is not in the base config", from)
			}
			c, err := config.Load(write(t, body), testKinds, os.Getenv)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			var got []config.Problem
			for _, p := range c.InsecureURLs() {
				if strings.HasPrefix(p.Key, "sources[0]") {
					got = append(got, p)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want keys %v", got, tc.want)
			}
			for i, p := range got {
				if p.Key != tc.want[i] || !strings.Contains(p.Msg, "https://") {
					t.Fatalf("got %v, want key %s", p, tc.want[i])
				}
			}
		})
	}
}
