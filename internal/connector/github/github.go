// Package github is the kind: github source. It reads issues from
// repositories and whole organisations over REST (go-github v60), Projects v2
// boards over GraphQL (githubv4), and team rosters for roster imports.
//
// go-github is used only inside this package. Where v60 lacks a field (issue
// types, sub-issues, parent_issue_url) the package decodes the payload with
// the client's NewRequest/Do into its own types.
//
// Parents: every issue object GitHub sends carries parent_issue_url, so the
// parent of a sub-issue costs no extra request. Only when a server omits that
// key altogether (older GitHub Enterprise Server releases) and an issue's
// sub_issues_summary says it has children does the connector list
// GET /repos/{o}/{r}/issues/{n}/sub_issues to set the children's parent.
package github

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	gh "github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
)

// DefaultConcurrency bounds the requests one Fetch has in flight at once,
// across all its repositories and boards, when github.concurrency is unset.
//
// GitHub's rate-limit documentation ("About secondary rate limits") allows
// no more than 100 concurrent requests, shared by REST and GraphQL, no more
// than 900 points a minute per REST endpoint (a GET costs one), and no more
// than 90 s of server CPU time per 60 s of real time, roughly the summed
// response time; its best-practices page goes further and asks integrations
// to "make requests serially instead of concurrently" with a queue. Eight is
// a compromise: under a tenth of the concurrency cap, so other tools sharing
// the token keep headroom, and enough to hide the round trip (eight 100-issue
// pages in flight read an org about five to seven times faster than one at a
// time). A run of a few hundred pages is a burst of seconds, well inside the
// per-minute limits; a much larger one can go over them, and then the
// shared plumbing waits out GitHub's 403/429 Retry-After before going on.
// Lower github.concurrency (1 is strictly serial) for tokens shared with
// busy automation.
const DefaultConcurrency = 8

// perPage is the largest page GitHub serves.
const perPage = 100

const (
	defaultBaseURL    = "https://api.github.com/"
	defaultGraphQLURL = "https://api.github.com/graphql"
	defaultTokenEnv   = "GITHUB_TOKEN"
)

// Connector reads one kind: github source.
type Connector struct {
	name        string
	cfg         Source
	env         connector.Env
	c           *clients
	repos       []repoRef
	concurrency int
	// unitRate is the rate-limit state Units saw, for FetchUnits (shard.go).
	unitRate *coreRate
}

// repoRef is one configured owner/repo.
type repoRef struct{ owner, name string }

func (r repoRef) String() string { return r.owner + "/" + r.name }

// New builds the connector for src; it matches connector.Factory. It checks
// the settings and the credentials but makes no request.
func New(src config.Source, env connector.Env) (connector.Connector, error) {
	if Block(src) == nil {
		return nil, &connector.ConfigError{Err: errors.New("kind github needs a github: section")}
	}
	cfg := *Block(src)
	repos, err := checkConfig(src.Name, &cfg)
	if err != nil {
		return nil, err
	}
	c, err := newClients(src, env)
	if err != nil {
		return nil, err
	}
	conc := cfg.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	return &Connector{name: src.Name, cfg: cfg, env: env, c: c, repos: repos, concurrency: conc}, nil
}

// checkConfig validates the settings New relies on and normalises State.
func checkConfig(name string, cfg *Source) ([]repoRef, error) {
	bad := func(key, format string, a ...any) error {
		return &connector.ConfigError{Err: fmt.Errorf("github.%s: %s", key, fmt.Sprintf(format, a...))}
	}
	if len(cfg.Repos) == 0 && len(cfg.Orgs) == 0 && len(cfg.Projects) == 0 {
		return nil, bad("repos", "list repos, orgs or projects to read")
	}
	var repos []repoRef
	for i, r := range cfg.Repos {
		owner, repo, ok := strings.Cut(strings.TrimSpace(r), "/")
		if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
			return nil, bad(fmt.Sprintf("repos[%d]", i), "%q is not owner/repo", r)
		}
		repos = append(repos, repoRef{owner: owner, name: repo})
	}
	for i, o := range cfg.Orgs {
		if strings.TrimSpace(o) == "" || strings.Contains(o, "/") {
			return nil, bad(fmt.Sprintf("orgs[%d]", i), "%q is not an organisation login", o)
		}
	}
	for i, p := range cfg.Projects {
		if (p.Org == "") == (p.User == "") || p.Number <= 0 {
			return nil, bad(fmt.Sprintf("projects[%d]", i), "give org or user, and a project number > 0")
		}
	}
	switch cfg.State {
	case "":
		cfg.State = "open"
	case "open", "closed", "all":
	default:
		return nil, bad("state", "%q is not open, closed or all", cfg.State)
	}
	if cfg.Concurrency < 0 {
		return nil, bad("concurrency", "%d must not be negative", cfg.Concurrency)
	}
	return repos, nil
}

// clients are the authenticated API clients of one source. History and PR
// comment code in this package build theirs with newClients too, so that
// auth, the shared plumbing and the error wording stay in one place.
type clients struct {
	rest *gh.Client
	gql  *githubv4.Client
	// restBase is the REST root ending in "/".
	restBase *url.URL
	// clock is the plumbing's clock (never nil).
	clock connector.Clock
	// secrets holds every credential to scrub from error text.
	secrets *secretSet
	// credential names where the credentials come from, for 401 hints:
	// "the token in $GITHUB_TOKEN" or "GitHub App 12 installation 34".
	credential string
	// bodyLimit caps one response body (defaultBodyLimit; tests lower it).
	bodyLimit *atomic.Int64
}

// newClients builds REST and GraphQL clients for src on the shared plumbing
// (connector.NewHTTPClient), with token or GitHub App installation auth.
func newClients(src config.Source, env connector.Env) (*clients, error) {
	cfg := Block(src)
	if cfg == nil {
		return nil, &connector.ConfigError{Err: errors.New("kind github needs a github: section")}
	}
	getenv := env.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	restBase, gqlURL, err := apiURLs(cfg.BaseURL, cfg.GraphQLURL)
	if err != nil {
		return nil, &connector.ConfigError{Err: err}
	}

	secrets := &secretSet{}
	opts := env.HTTP
	if opts.Source == "" {
		opts.Source = src.Name
	}
	if opts.Notify == nil {
		opts.Notify = env.Notify
	}
	if opts.Clock == nil {
		opts.Clock = connector.RealClock{}
	}
	opts.Secrets = append([]string(nil), opts.Secrets...)
	if opts.Transport == nil {
		// http.DefaultTransport keeps 2 idle connections per host, so with
		// more requests in flight every burst would close the others and
		// dial (TLS handshake included) again; keep one per slot.
		t := http.DefaultTransport.(*http.Transport).Clone()
		conc := cfg.Concurrency
		if conc <= 0 {
			conc = DefaultConcurrency
		}
		t.MaxIdleConnsPerHost = conc
		opts.Transport = t
	}

	var credential string
	var token string
	var key []byte
	if app := cfg.App; app != nil {
		key, err = appKey(src.Name, app, env.ConfigDir, getenv)
		if err != nil {
			return nil, err
		}
		credential = fmt.Sprintf("GitHub App %d installation %d", app.AppID, app.InstallationID)
	} else {
		name := cfg.TokenEnv
		if name == "" {
			name = defaultTokenEnv
		}
		token = strings.TrimSpace(getenv(name))
		if token == "" {
			return nil, &connector.ConfigError{Err: fmt.Errorf("read token: environment variable %s is empty or unset (github.token_env names it)", name)}
		}
		secrets.add(token)
		opts.Secrets = append(opts.Secrets, token)
		credential = "the token in $" + name
	}

	opts.RateLimits = RateLimits
	base := connector.NewHTTPClient(opts)
	inner := base.Transport
	if inner == nil {
		inner = http.DefaultTransport
	}

	var auth http.RoundTripper
	if cfg.App != nil {
		// Record each installation token as a secret as it passes, so it
		// can be scrubbed from errors like the static token.
		rec := &secretRecorder{next: inner, secrets: secrets}
		itr, err := ghinstallation.New(rec, cfg.App.AppID, cfg.App.InstallationID, key)
		if err != nil {
			return nil, &connector.ConfigError{Err: fmt.Errorf("github.app: read private key: %w", err)}
		}
		itr.BaseURL = strings.TrimRight(restBase.String(), "/")
		auth = itr
	} else {
		auth = &tokenTransport{token: token, next: inner}
	}
	gqlParsed, _ := url.Parse(gqlURL) // checked by apiURLs
	auth = &originGuard{allowed: []string{originOf(restBase), originOf(gqlParsed)}, next: auth}

	limit := &atomic.Int64{}
	limit.Store(defaultBodyLimit)
	auth = &bodyCap{limit: limit, next: auth}

	restHTTP := *base
	restHTTP.Transport = &rateShield{next: auth}
	rest := gh.NewClient(&restHTTP)
	rest.BaseURL = restBase
	rest.UserAgent = "pomlint"

	gqlHTTP := *base
	gqlHTTP.Transport = &graphQLFeatures{notify: opts.Notify, source: opts.Source,
		next: &graphQLStatus{next: auth, clock: opts.Clock, maxWait: waitBound(opts.MaxWait),
			maxRetries: rateRetries(opts.MaxRateLimitRetries), notify: opts.Notify, source: opts.Source}}
	gql := githubv4.NewEnterpriseClient(gqlURL, &gqlHTTP)

	return &clients{rest: rest, gql: gql, restBase: restBase, clock: opts.Clock, secrets: secrets, credential: credential, bodyLimit: limit}, nil
}

// apiURLs resolves the REST root and the GraphQL endpoint. A GHES REST root
// https://HOST/api/v3/ implies https://HOST/api/graphql.
func apiURLs(baseURL, graphqlURL string) (*url.URL, string, error) {
	if baseURL == "" {
		baseURL = defaultBaseURL
	}
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, "", fmt.Errorf("github.base_url: %q is not an absolute URL (https://api.github.com/ or https://HOST/api/v3/)", baseURL)
	}
	if u.User != nil {
		return nil, "", fmt.Errorf("github.base_url: must not carry credentials; use token_env")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	if graphqlURL == "" {
		switch {
		case u.Host == "api.github.com":
			graphqlURL = defaultGraphQLURL
		case strings.HasSuffix(u.Path, "/api/v3/"):
			g := *u
			g.Path = strings.TrimSuffix(u.Path, "v3/") + "graphql"
			graphqlURL = g.String()
		default:
			g := *u
			g.Path = u.Path + "graphql"
			graphqlURL = g.String()
		}
	} else if g, err := url.Parse(graphqlURL); err != nil || g.Scheme == "" || g.Host == "" {
		return nil, "", fmt.Errorf("github.graphql_url: %q is not an absolute URL", graphqlURL)
	}
	return u, graphqlURL, nil
}

// appKey reads the GitHub App private key from the env var or the file.
func appKey(source string, app *App, dir string, getenv func(string) string) ([]byte, error) {
	bad := func(format string, a ...any) error {
		return &connector.ConfigError{Err: fmt.Errorf("github.app: %s", fmt.Sprintf(format, a...))}
	}
	if app.AppID <= 0 || app.InstallationID <= 0 {
		return nil, bad("app_id and installation_id are required")
	}
	switch {
	case app.PrivateKeyEnv != "" && app.PrivateKeyFile != "":
		return nil, bad("give private_key_env or private_key_file, not both")
	case app.PrivateKeyEnv != "":
		k := getenv(app.PrivateKeyEnv)
		if strings.TrimSpace(k) == "" {
			return nil, bad("read private key: environment variable %s is empty or unset", app.PrivateKeyEnv)
		}
		return []byte(k), nil
	case app.PrivateKeyFile != "":
		p := app.PrivateKeyFile
		if !filepath.IsAbs(p) && dir != "" {
			p = filepath.Join(dir, p)
		}
		k, err := os.ReadFile(p)
		if err != nil {
			return nil, bad("read private key: %v", err)
		}
		return k, nil
	}
	return nil, bad("private_key_env or private_key_file is required")
}

// notify sends a notice when the CLI listens.
func (c *Connector) notify(level, msg string, fields map[string]any) {
	if c.env.Notify != nil {
		c.env.Notify(connector.Notice{Source: c.name, Level: level, Message: msg, Fields: fields})
	}
}

// progress reports progress when the CLI listens.
func (c *Connector) progress(unit string, done, total int) {
	if c.env.Progress != nil {
		c.env.Progress.Progress(c.name, unit, done, total)
	}
}

// maxWait is the longest wait for a rate-limit reset the run accepts.
func (c *Connector) maxWait() time.Duration { return waitBound(c.env.HTTP.MaxWait) }

// waitBound reads HTTPOptions.MaxWait as the plumbing does: 0 is the
// default, negative is no wait at all.
func waitBound(d time.Duration) time.Duration {
	switch {
	case d > 0:
		return d
	case d < 0:
		return 0
	}
	return connector.DefaultMaxWait
}

// rateRetries reads HTTPOptions.MaxRateLimitRetries as the plumbing does.
func rateRetries(n int) int {
	switch {
	case n > 0:
		return n
	case n < 0:
		return 0
	}
	return connector.DefaultMaxRateLimitRetries
}

var (
	_ connector.Connector      = (*Connector)(nil)
	_ connector.RosterImporter = (*Connector)(nil)
)
