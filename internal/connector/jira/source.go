package jira

import (
	"maps"
	"slices"
	"strings"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/model"
)

// KindName is the kind: of a Jira source and the tracker of its items.
const KindName = "jira"

// ImportKey is the key of roster.import that maps Jira groups to roles.
const ImportKey = "jira_groups"

// Jira deployments.
const (
	DeploymentCloud      = "cloud"
	DeploymentDataCenter = "datacenter"
)

// Source is the jira: block of a kind: jira source.
type Source struct {
	URL string `yaml:"url"`
	// Deployment is cloud or datacenter; empty means detect it from
	// /rest/api/2/serverInfo.
	Deployment string `yaml:"deployment,omitempty"`
	// EmailEnv names the variable with the account email (Cloud basic auth).
	EmailEnv string `yaml:"email_env,omitempty"`
	// TokenEnv names the variable with the API token (Cloud) or personal
	// access token (Data Center).
	TokenEnv string `yaml:"token_env,omitempty"`
	JQL      string `yaml:"jql"`
	// Fields lists extra custom fields to fetch by name, beyond those the
	// ownership sources name.
	Fields []string `yaml:"fields,omitempty"`
	// Concurrency bounds the search requests in flight (default 8; 1 sends
	// the JQL as one sequential stream).
	Concurrency int `yaml:"concurrency,omitempty"`
}

// Block returns the jira: block of src (nil when it has none).
func Block(src config.Source) *Source { return config.BlockOf[Source](src) }

// Kind is kind: jira — a Jira Cloud or Data Center site; accounts are
// accountIds or usernames, teams match projects and components.
var Kind = config.SourceKind{
	Name:     KindName,
	NewBlock: func() any { return &Source{} },
	Defaults: func(s *config.Source) {
		j := Block(*s)
		if j.TokenEnv == "" {
			j.TokenEnv = "JIRA_API_TOKEN"
		}
		if j.EmailEnv == "" && j.Deployment != DeploymentDataCenter {
			j.EmailEnv = "JIRA_EMAIL"
		}
	},
	URLs: func(s *config.Source) []config.KeyValue {
		return []config.KeyValue{{Key: "url", Value: Block(*s).URL}}
	},
	Validate: func(_ *config.Config, s *config.Source, key string, r config.Reporter) {
		validate(Block(*s), key, r)
	},
	Tracker:   model.Tracker(KindName),
	Scopes:    []model.Scope{model.ScopeProjects, model.ScopeComponents},
	ImportKey: ImportKey,
	ValidateImport: func(groups map[string]string, key string, r config.Reporter) {
		for _, k := range slices.Sorted(maps.Keys(groups)) {
			if !config.ValidRole(groups[k]) {
				r.Add(key+"."+k, "unknown role %q (want product-owner or product-manager)", groups[k])
			}
		}
	},
}

func validate(j *Source, key string, r config.Reporter) {
	if j.URL == "" {
		r.Add(key+".url", "a jira source needs the site URL, e.g. https://acme.atlassian.net")
	} else {
		config.CheckURL(j.URL, key+".url", r)
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
		if e.v != "" && !config.IsEnvName(e.v) {
			r.Add(key+"."+e.k, "%q is not an environment variable name; put the secret in a variable and name the variable here", e.v)
		}
	}
	if j.Concurrency < 0 || j.Concurrency > 16 {
		r.Add(key+".concurrency", "%d is out of range (1-16)", j.Concurrency)
	}
}
