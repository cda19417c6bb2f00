// Package jira reads Jira Cloud and Jira Data Center issues into model.Items,
// imports roster roles from Jira groups and reads issue changelogs for the
// audit. It is the only package that uses go-jira.
//
// Cloud is searched with the enhanced JQL search (/rest/api/2/search/jql,
// nextPageToken + isLast, basic auth with email + API token), split into
// concurrent queries and checked with the approximate count (split.go);
// Data Center with /rest/api/2/search (startAt + total, bearer personal
// access token), always ORDER BY key ASC with overlapping pages so that a
// result that shifts while it is read is noticed (searchDC).
//
// Credentials go only to the configured site's scheme and host; a redirect
// elsewhere is refused.
//
// go-jira v1.17.0 builds the requests (NewRequestWithContext) and runs them
// (Do). Its SearchV2JQL is not used: it decodes into go-jira's Issue, whose
// IssueType has no hierarchyLevel, and it reduces Jira's error body to the
// first errorMessage. Error bodies are read here instead, so every one of
// Jira's errorMessages reaches the user.
package jira

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	gojira "github.com/andygrunwald/go-jira"

	"github.com/pomlint/pomlint/internal/config"
	"github.com/pomlint/pomlint/internal/connector"
	"github.com/pomlint/pomlint/internal/model"
)

// Default environment variables for credentials when the config names none.
const (
	DefaultEmailEnv = "JIRA_EMAIL"
	DefaultTokenEnv = "JIRA_API_TOKEN"
)

const (
	pageSize = 100
	// defaultConcurrency bounds the requests in flight when the config
	// sets no jira.concurrency. Atlassian publishes no concurrency limit
	// for Jira Cloud: API-token traffic is held to per-second limits per
	// site, endpoint and method with a burst buffer, answered with 429 and
	// Retry-After / X-RateLimit-Reset, which the shared HTTP client waits
	// out; Atlassian's developer guidance has been at most about 10
	// simultaneous requests from a backend. Data Center admins may set
	// their own rate limit, answered the same way. 8 stays under that
	// guidance, and is what the GitHub source uses.
	defaultConcurrency = 8
)

// Connector reads one kind: jira source. Build it with New.
type Connector struct {
	src     config.Source
	cfg     Source
	env     connector.Env
	base    string // site URL without trailing slash
	host    string
	scheme  string
	client  *gojira.Client
	secrets []string

	emailEnv, tokenEnv string
	email, token       string

	// inflight bounds the requests in flight to jira.concurrency. Streams
	// may outnumber it: a stream decoding a page holds no slot, so another
	// stream's request takes it and the server always has conc requests.
	inflight chan struct{}

	mu         sync.Mutex
	deployment string // cloud or datacenter once known
	fieldList  []jiraField
	ownerNames []string // owner field names of the last Fetch, for History
}

var (
	_ connector.Connector      = (*Connector)(nil)
	_ connector.RosterImporter = (*Connector)(nil)
	_ connector.HistoryFetcher = (*Connector)(nil)
)

// New builds the connector for a kind: jira source. It is a
// connector.Factory. Credentials come only from env.Getenv: Cloud uses the
// email in EmailEnv and the API token in TokenEnv (basic auth); Data Center
// uses the personal access token in TokenEnv (bearer).
func New(src config.Source, env connector.Env) (connector.Connector, error) {
	if Block(src) == nil {
		return nil, &connector.ConfigError{Err: errors.New("kind jira needs a jira: section with url and jql")}
	}
	cfg := *Block(src)
	u, err := url.Parse(strings.TrimSpace(cfg.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &connector.ConfigError{Err: fmt.Errorf("jira.url %q: want the site root, e.g. https://acme.atlassian.net", cfg.URL)}
	}
	switch cfg.Deployment {
	case "", DeploymentCloud, DeploymentDataCenter:
	default:
		return nil, &connector.ConfigError{Err: fmt.Errorf("jira.deployment %q: want cloud, datacenter or nothing (detect)", cfg.Deployment)}
	}
	if env.Getenv == nil {
		return nil, errors.New("build jira connector: env.Getenv is nil")
	}
	c := &Connector{src: src, cfg: cfg, env: env, base: strings.TrimRight(u.String(), "/"), host: u.Host, scheme: u.Scheme,
		emailEnv: cfg.EmailEnv, tokenEnv: cfg.TokenEnv, deployment: cfg.Deployment}
	c.inflight = make(chan struct{}, c.concurrency())
	if c.emailEnv == "" {
		c.emailEnv = DefaultEmailEnv
	}
	if c.tokenEnv == "" {
		c.tokenEnv = DefaultTokenEnv
	}
	c.token = strings.TrimSpace(env.Getenv(c.tokenEnv))
	c.email = strings.TrimSpace(env.Getenv(c.emailEnv))
	if err := c.checkCredentials(); err != nil {
		return nil, err
	}
	c.secrets = []string{c.token}
	if c.email != "" {
		c.secrets = append(c.secrets, base64.StdEncoding.EncodeToString([]byte(c.email+":"+c.token)))
	}
	opts := env.HTTP
	opts.Secrets = append(append([]string(nil), opts.Secrets...), c.secrets...)
	if opts.Source == "" {
		opts.Source = src.Name
	}
	if opts.Notify == nil {
		opts.Notify = env.Notify
	}
	base := opts.Transport
	if base == nil {
		// http.DefaultTransport keeps 2 idle connections per host: with
		// more concurrent streams every further request would open a new
		// connection (and TLS handshake). Keep one per stream.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = max(cfg.Concurrency, defaultConcurrency) + 2
		base = t
	}
	opts.Transport = base
	hc := connector.NewHTTPClient(opts)
	// The credentials are added above the shared plumbing, as go-github's
	// are: its disk cache then keeps one directory per credential (it keys
	// directories by the Authorization header and strips it before storing),
	// and its retries still carry them.
	hc.Transport = &authTransport{base: hc.Transport, c: c}
	hc.CheckRedirect = c.checkRedirect
	c.client, err = gojira.NewClient(hc, c.base+"/")
	if err != nil {
		return nil, &connector.ConfigError{Err: fmt.Errorf("jira.url %q: %w", cfg.URL, err)}
	}
	return c, nil
}

// checkCredentials names the missing variables before any request.
func (c *Connector) checkCredentials() error {
	var missing []string
	if c.token == "" {
		missing = append(missing, c.tokenEnv)
	}
	if c.deployment == DeploymentCloud && c.email == "" {
		missing = append(missing, c.emailEnv)
	}
	if len(missing) == 0 {
		return nil
	}
	what := "the API token (TOKEN_ENV) and account email (EMAIL_ENV) for Jira Cloud basic auth"
	switch c.deployment {
	case DeploymentDataCenter:
		what = "a personal access token for Jira Data Center"
	case "":
		what = "the API token (Cloud, with the account email in " + c.emailEnv + ") or personal access token (Data Center)"
	}
	what = strings.NewReplacer("TOKEN_ENV", c.tokenEnv, "EMAIL_ENV", c.emailEnv).Replace(what)
	format := "environment variable %s is not set: it must hold %s"
	if len(missing) > 1 {
		format = "environment variables %s are not set: they must hold %s"
	}
	return &connector.ConfigError{Err: fmt.Errorf(format, strings.Join(missing, " and "), what)}
}

// authTransport adds the credentials the resolved deployment wants, only to
// requests for the configured site (same scheme and host): a request
// anywhere else, such as a redirect to another host or from https to http,
// goes out without them. It sits above the shared cache and retry
// plumbing.
type authTransport struct {
	base http.RoundTripper
	c    *Connector
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	if !t.c.onSite(req.URL) {
		r := req.Clone(req.Context())
		r.Header.Del("Authorization")
		return base.RoundTrip(r)
	}
	if req.URL.Path == "/rest/api/2/serverInfo" && req.Header.Get("Authorization") == "" {
		return base.RoundTrip(req) // read anonymously to detect the deployment
	}
	r := req.Clone(req.Context())
	if t.c.currentDeployment() == DeploymentCloud {
		r.SetBasicAuth(t.c.email, t.c.token)
	} else {
		r.Header.Set("Authorization", "Bearer "+t.c.token)
	}
	return base.RoundTrip(r)
}

// onSite reports whether u is on the configured site: same scheme, same host
// and port.
func (c *Connector) onSite(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, c.scheme) && strings.EqualFold(u.Host, c.host)
}

// checkRedirect refuses a redirect off the configured site: the request
// would reach another host (or drop from https to http) without the
// credentials, and fail there with a misleading answer. The user should
// point jira.url at where the site now lives.
func (c *Connector) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if !c.onSite(req.URL) {
		return fmt.Errorf("%s redirects to %s://%s, which is not the configured site; no credentials were sent there: set jira.url of source %q to the address the site answers on",
			c.scheme+"://"+c.host, req.URL.Scheme, req.URL.Host, c.src.Name)
	}
	return nil
}

func (c *Connector) currentDeployment() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.deployment
}

// Deployment returns cloud or datacenter, reading /rest/api/2/serverInfo
// once when the config leaves it out.
func (c *Connector) Deployment(ctx context.Context) (string, error) {
	if d := c.currentDeployment(); d != "" {
		return d, nil
	}
	var info struct {
		DeploymentType string `json:"deploymentType"`
		Version        string `json:"version"`
	}
	if err := c.get(ctx, "rest/api/2/serverInfo", nil, &info); err != nil {
		return "", fmt.Errorf("detect jira deployment: %w (set deployment: cloud or datacenter in source %q to skip detection)", err, c.src.Name)
	}
	d := DeploymentDataCenter
	switch strings.ToLower(info.DeploymentType) {
	case "cloud":
		d = DeploymentCloud
	case "server", "datacenter":
	default:
		return "", &connector.ConfigError{Err: fmt.Errorf("detect jira deployment: %s answered deploymentType %q; set deployment: cloud or datacenter in source %q",
			c.host, info.DeploymentType, c.src.Name)}
	}
	c.mu.Lock()
	c.deployment = d
	c.mu.Unlock()
	if d == DeploymentCloud && c.email == "" {
		return "", &connector.ConfigError{Err: fmt.Errorf("source %q: %s is Jira Cloud, which needs the account email in environment variable %s (basic auth with the API token)",
			c.src.Name, c.host, c.emailEnv)}
	}
	c.notify("info", "detected jira deployment", map[string]any{"deployment": d, "version": info.Version})
	return d, nil
}

func (c *Connector) notify(level, msg string, fields map[string]any) {
	if c.env.Notify != nil {
		c.env.Notify(connector.Notice{Source: c.src.Name, Level: level, Message: msg, Fields: fields})
	}
}

// APIError is a non-2xx answer from Jira, with all of Jira's errorMessages
// and field errors.
type APIError struct {
	Status   int
	Method   string
	Path     string
	Messages []string
	// Hint says what to check or change, for the statuses that have one.
	Hint string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if len(e.Messages) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(e.Messages, "; "))
	}
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// get requests path (relative to the site root) with query and decodes the
// JSON answer into v.
func (c *Connector) get(ctx context.Context, path string, query url.Values, v any) error {
	return c.call(ctx, http.MethodGet, path, query, nil, v)
}

// post sends body as JSON to path and decodes the JSON answer into v (for
// reads that Jira takes as POST, such as the approximate count).
func (c *Connector) post(ctx context.Context, path string, body, v any) error {
	return c.call(ctx, http.MethodPost, path, nil, body, v)
}

func (c *Connector) call(ctx context.Context, method, path string, query url.Values, reqBody, v any) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	u := path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := c.client.NewRequestWithContext(ctx, method, u, reqBody)
	if err != nil {
		return fmt.Errorf("build request %s: %w", path, err)
	}
	req.Header.Set("Accept", "application/json")
	select {
	case c.inflight <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	body, resp, err := c.do(req)
	<-c.inflight
	if resp == nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return fmt.Errorf("%s /%s on %s: %w", method, path, c.host, c.redactErr(err))
	}
	if err != nil { // non-2xx: go-jira's CheckResponse left the body to us
		return c.apiError(resp, method, path, body)
	}
	decode := func() error { return json.Unmarshal(body, v) }
	if d, ok := v.(bodyDecoder); ok {
		decode = func() error { return d.decode(body) }
	}
	if err := decode(); err != nil {
		return fmt.Errorf("decode answer of %s /%s (%d bytes): truncated or malformed JSON: %w", method, path, len(body), err)
	}
	return nil
}

// concurrency is jira.concurrency or its default.
func (c *Connector) concurrency() int {
	if c.cfg.Concurrency > 0 {
		return c.cfg.Concurrency
	}
	return defaultConcurrency
}

// streams is how many search streams run at once: one at concurrency 1 (a
// single sequential stream), else twice the requests in flight, so that a
// stream is ready to send while others decode.
func (c *Connector) streams() int {
	if n := c.concurrency(); n > 1 {
		return 2 * n
	}
	return 1
}

// do runs req and reads the body. resp is nil when no answer came; err is
// non-nil for a non-2xx answer too (go-jira's CheckResponse), with the body.
func (c *Connector) do(req *http.Request) ([]byte, *http.Response, error) {
	ctx := req.Context()
	resp, err := c.client.Do(req, nil)
	if resp == nil || resp.Response == nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, readErr := readBody(resp.Response, 64<<20)
	if err != nil {
		return body, resp.Response, err
	}
	if readErr != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, nil, ctxErr
		}
		return nil, nil, fmt.Errorf("read answer: %w", readErr)
	}
	return body, resp.Response, nil
}

func (c *Connector) apiError(resp *http.Response, method, path string, body []byte) error {
	e := &APIError{Status: resp.StatusCode, Method: method, Path: "/" + path}
	var jerr struct {
		gojira.Error
		// Message is the body of an uncaught server error on Data
		// Center ({"message", "status-code", "stack-trace"}), such as
		// the 500 "Search limit exceeded" of a search past the result
		// window.
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &jerr) == nil {
		e.Messages = append(e.Messages, jerr.ErrorMessages...)
		for _, k := range slices.Sorted(maps.Keys(jerr.Errors)) {
			e.Messages = append(e.Messages, k+": "+jerr.Errors[k])
		}
		if jerr.Message != "" {
			e.Messages = append(e.Messages, connector.Truncate(jerr.Message, 500))
		}
	} else if s := strings.TrimSpace(string(body)); s != "" && !strings.HasPrefix(s, "<") {
		e.Messages = append(e.Messages, connector.Truncate(s, 300))
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		if c.currentDeployment() == DeploymentCloud {
			e.Hint = fmt.Sprintf("%s rejected the credentials: check that %s holds the account email and %s a valid API token for this site",
				c.host, c.emailEnv, c.tokenEnv)
		} else {
			e.Hint = fmt.Sprintf("%s rejected the credentials: check that %s holds a valid, unexpired personal access token for this site", c.host, c.tokenEnv)
		}
	case http.StatusForbidden:
		e.Hint = fmt.Sprintf("%s refused access: check that the account can browse the projects the JQL names and, for groups, may view group members", c.host)
	case http.StatusTooManyRequests:
		e.Hint = fmt.Sprintf("%s kept rate limiting after the retries: lower jira.concurrency or run later", c.host)
	}
	if resp.StatusCode >= 500 {
		e.Hint = fmt.Sprintf("%s kept failing after the retries", c.host)
	}
	return e
}

// explain turns a 401 under a configured deployment into a config error
// when serverInfo says the site is the other deployment: the wrong setting
// sends the wrong kind of credentials, so the server rejects them before
// any endpoint could tell.
func (c *Connector) explain(ctx context.Context, err error) error {
	var api *APIError
	if err == nil || c.cfg.Deployment == "" || !errors.As(err, &api) || api.Status != http.StatusUnauthorized || ctx.Err() != nil {
		return err
	}
	var info struct {
		DeploymentType string `json:"deploymentType"`
	}
	if c.get(ctx, "rest/api/2/serverInfo", nil, &info) != nil {
		return err
	}
	actual := DeploymentDataCenter
	if strings.EqualFold(info.DeploymentType, "cloud") {
		actual = DeploymentCloud
	}
	if actual == c.cfg.Deployment {
		return err
	}
	return &connector.ConfigError{Err: fmt.Errorf("source %q: %s is Jira %s but the config says deployment: %s, so the wrong kind of credentials was sent; set deployment: %s (or leave it out to detect it): %w",
		c.src.Name, c.host, info.DeploymentType, c.cfg.Deployment, actual, err)}
}

// redactErr replaces every secret (and its base64/URL forms) in err's text.
func (c *Connector) redactErr(err error) error {
	if err == nil {
		return nil
	}
	return connector.RedactError(err, c.secrets)
}

// readBody reads at most limit bytes of the body, in one allocation when
// the server sent a Content-Length (a search page is ~150 kB; growing a
// buffer from 512 bytes copies it about nine times).
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if n := resp.ContentLength; n > 0 && n <= limit {
		buf := make([]byte, n)
		m, err := io.ReadFull(resp.Body, buf)
		return buf[:m], err
	}
	return io.ReadAll(io.LimitReader(resp.Body, limit))
}

func account(u *jiraUser, cloud bool) model.Account {
	a := model.Account{Tracker: model.TrackerJira, Email: u.EmailAddress, Name: u.DisplayName, Inactive: u.Active != nil && !*u.Active}
	if cloud || (u.Name == "" && u.AccountID != "") {
		a.Login = u.AccountID
	} else {
		a.Login = u.Name
		if u.Key != "" && u.Key != u.Name {
			a.Key = u.Key
		}
	}
	return a
}
