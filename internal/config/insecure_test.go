package config

import (
	"strings"
	"testing"
)

func TestInsecureURLs(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  Source
		want []string
	}{
		{"should warn on http to a remote GitHub host", Source{Name: "gh", Kind: KindGitHub, GitHub: &GitHubSource{BaseURL: "http://ghes.acme.example/api/v3/"}}, []string{"sources[0].github.base_url"}},
		{"should warn on http to a remote Jira site", Source{Name: "j", Kind: KindJira, Jira: &JiraSource{URL: "HTTP://jira.acme.example"}}, []string{"sources[0].jira.url"}},
		{"should warn on an http GraphQL URL", Source{Name: "gh", Kind: KindGitHub, GitHub: &GitHubSource{BaseURL: "https://x.example/", GraphQLURL: "http://10.0.0.8/graphql"}}, []string{"sources[0].github.graphql_url"}},
		{"should accept https", Source{Name: "gh", Kind: KindGitHub, GitHub: &GitHubSource{BaseURL: "https://api.github.com/"}}, nil},
		{"should accept http to localhost", Source{Name: "j", Kind: KindJira, Jira: &JiraSource{URL: "http://localhost:8080"}}, nil},
		{"should accept http to a loopback address", Source{Name: "gh", Kind: KindGitHub, GitHub: &GitHubSource{BaseURL: "http://127.0.0.1:9999/", GraphQLURL: "http://[::1]:9999/graphql"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{File: "p.yaml", Sources: []Source{tc.src}, kinds: testKinds}
			got := c.InsecureURLs()
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
