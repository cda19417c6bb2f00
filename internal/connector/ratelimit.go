package connector

import (
	"net/http"
	"strconv"
	"time"
)

// RateLimit is the primary rate-limit state a server last reported, from the
// rate-limit headers of any answer, as the source's RateLimitHeaders read
// them.
type RateLimit struct {
	// Host is the API host ("api.github.com", "acme.atlassian.net").
	Host string
	// Resource names the budget when a tracker keeps several (GitHub's
	// "core", "search", "graphql"); "" when the server names none.
	Resource  string
	Limit     int
	Remaining int
	Used      int
	// Reset is when the budget refills; zero when not sent.
	Reset time.Time
	// Seen is the Clock time the state was read.
	Seen time.Time
}

type rateKey struct{ host, resource string }

// RateHeaders is what the rate-limit headers of one answer say.
type RateHeaders struct {
	// Known is true when the answer reports a budget (a limit or a
	// remaining count); Reset alone does not make it known.
	Known bool
	// Resource names the budget ("" when the tracker has one).
	Resource  string
	Limit     int
	Remaining int // -1 when not sent
	Used      int
	// Reset is when the budget refills; zero when not sent.
	Reset time.Time
}

// RateLimitHeaders is how a tracker reports rate limits: the budget headers
// of an answer, and which 403/429 answers are a secondary limit (to be
// waited out, at least a minute, doubling). A tracker's package supplies
// one in HTTPOptions.RateLimits; the transport knows no tracker.
type RateLimitHeaders interface {
	Read(h http.Header) RateHeaders
	Secondary(status int, h http.Header, body []byte) bool
}

// StandardRateLimits reads the X-RateLimit-Limit, -Remaining, -Used and
// -Reset headers many trackers send (Reset as unix seconds or an ISO-8601
// time); it knows no secondary limit. It is the default.
type StandardRateLimits struct{}

// Read implements RateLimitHeaders.
func (StandardRateLimits) Read(h http.Header) RateHeaders {
	limit, errL := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	remaining, errR := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	if errR != nil {
		remaining = -1
	}
	used, _ := strconv.Atoi(h.Get("X-RateLimit-Used"))
	reset, _ := parseReset(h.Get("X-RateLimit-Reset"))
	return RateHeaders{Known: errL == nil || errR == nil, Limit: limit, Remaining: remaining, Used: used, Reset: reset}
}

// Secondary implements RateLimitHeaders: no secondary limit.
func (StandardRateLimits) Secondary(int, http.Header, []byte) bool { return false }

// observe records the rate-limit headers of resp, if any.
func (t *Transport) observe(req *http.Request, resp *http.Response) {
	rh := t.rateHeaders.Read(resp.Header)
	if !rh.Known {
		return
	}
	k := rateKey{host: req.URL.Host, resource: rh.Resource}
	rl := RateLimit{Host: k.host, Resource: k.resource, Limit: rh.Limit, Remaining: rh.Remaining, Used: rh.Used, Reset: rh.Reset, Seen: t.clock.Now()}
	t.mu.Lock()
	t.rates[k] = rl
	t.latest[k.host] = k
	t.mu.Unlock()
}

// RateLimit returns the last rate-limit state host reported for resource.
// An empty resource means the state updated last for host, whatever its
// resource.
func (t *Transport) RateLimit(host, resource string) (RateLimit, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := rateKey{host: host, resource: resource}
	if resource == "" {
		if latest, ok := t.latest[host]; ok {
			k = latest
		}
	}
	rl, ok := t.rates[k]
	return rl, ok
}
