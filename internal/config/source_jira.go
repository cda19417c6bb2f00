package config

import (
	"strings"

	"github.com/pomlint/pomlint/internal/model"
)

// JiraKind is kind: jira — a Jira Cloud or Data Center site; accounts are
// accountIds or usernames, teams match projects and components.
var JiraKind = SourceKind{
	Name:  KindJira,
	Block: func(s *Source) bool { return s.Jira != nil },
	Defaults: func(s *Source) {
		j := s.Jira
		if j.TokenEnv == "" {
			j.TokenEnv = "JIRA_API_TOKEN"
		}
		if j.EmailEnv == "" && j.Deployment != DeploymentDataCenter {
			j.EmailEnv = "JIRA_EMAIL"
		}
	},
	URLs:        func(s *Source) []KeyValue { return []KeyValue{{"url", s.Jira.URL}} },
	WantsImport: func(imp *RosterImport) bool { return len(imp.JiraGroups) > 0 },
	Validate: func(_ *Config, s *Source, key string, r Reporter) {
		validateJira(s.Jira, key, r)
	},
	Tracker: model.Tracker(KindJira),
	Scopes:  []model.Scope{model.ScopeProjects, model.ScopeComponents},
	ValidateImport: func(imp *RosterImport, r Reporter) {
		for _, k := range sortedKeys(imp.JiraGroups) {
			if !validRole(imp.JiraGroups[k]) {
				r.Add("roster.import.jira_groups."+k, "unknown role %q (want product-owner or product-manager)", imp.JiraGroups[k])
			}
		}
	},
}

func validateJira(j *JiraSource, key string, r Reporter) {
	if j.URL == "" {
		r.Add(key+".url", "a jira source needs the site URL, e.g. https://acme.atlassian.net")
	} else {
		checkURL(j.URL, key+".url", r)
	}
	switch j.Deployment {
	case "", DeploymentCloud, DeploymentDataCenter:
	default:
		r.Add(key+".deployment", "unknown deployment %q (want cloud or datacenter, or leave it out to detect it)", j.Deployment)
	}
	if strings.TrimSpace(j.JQL) == "" {
		r.Add(key+".jql", "a jira source needs a JQL query, e.g. project in (PAY) AND statusCategory != Done")
	}
	for _, e := range []struct{ k, v string }{{"email_env", j.EmailEnv}, {"token_env", j.TokenEnv}} {
		if e.v != "" && !envPattern.MatchString(e.v) {
			r.Add(key+"."+e.k, "%q is not an environment variable name; put the secret in a variable and name the variable here", e.v)
		}
	}
	if j.Concurrency < 0 || j.Concurrency > 16 {
		r.Add(key+".concurrency", "%d is out of range (1-16)", j.Concurrency)
	}
}
