package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// InsecureURLs returns a warning for every source URL that sends requests
// (and so credentials: a token, a Jira email and API token, an App's JWT)
// over plain http:// to a host other than this machine. The config stays
// valid — a test proxy or a lab server may need it — but the user is told.
func (c *Config) InsecureURLs() []Problem {
	ps := &problems{file: c.File, lines: c.Lines}
	for i, s := range c.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		check := func(k, raw string) {
			if insecure(raw) {
				ps.add(k, "%q sends credentials unencrypted over plain http:// to a host other than this machine; use https://", raw)
			}
		}
		k, ok := c.kinds.Lookup(s.Kind)
		if !ok || k.URLs == nil || s.Block == nil {
			continue
		}
		for _, u := range k.URLs(&s) {
			check(key+"."+k.Name+"."+u.Key, u.Value)
		}
	}
	return ps.list
}

// insecure reports whether raw is an http:// URL to a host that is not a
// loopback address or localhost.
func insecure(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !strings.EqualFold(u.Scheme, "http") || u.Host == "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return false
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return false
	}
	return true
}
