package jira

import (
	"strings"
	"testing"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
)

func TestMissingCredentialsMessage(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"should say are not set when both are missing", nil, "environment variables JIRA_API_TOKEN and JIRA_EMAIL are not set: they must hold"},
		{"should say is not set when the token is missing", map[string]string{"JIRA_EMAIL": "a@acme.example"}, "environment variable JIRA_API_TOKEN is not set: it must hold"},
		{"should say is not set when the email is missing", map[string]string{"JIRA_API_TOKEN": "a-long-enough-token"}, "environment variable JIRA_EMAIL is not set: it must hold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := config.Source{Name: "jira", Kind: KindName, Block: &Source{URL: "https://acme.atlassian.net", Deployment: DeploymentCloud, JQL: "project = PAY"}}
			_, err := New(src, connector.Env{Getenv: func(k string) string { return tt.env[k] }})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
