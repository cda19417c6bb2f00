package fake

import (
	"net/http"
	"strings"
)

// route is one REST endpoint a fake serves: a method and a path pattern of
// "/"-separated segments, where "*" matches any one segment. A table of
// routes replaces a switch over path segments, so each endpoint reads as
// one line and its handler.
type route struct {
	method  string
	pattern string
	// handle serves the request; args are the segments "*" matched, in
	// order.
	handle func(w http.ResponseWriter, r *http.Request, args []string)
}

// pathParts splits a URL path into its segments, ignoring the slashes at
// either end.
func pathParts(path string) []string {
	return strings.Split(strings.Trim(path, "/"), "/")
}

// match returns the segments "*" matched when method and parts are the
// route's.
func (rt route) match(method string, parts []string) ([]string, bool) {
	if method != rt.method {
		return nil, false
	}
	pat := strings.Split(rt.pattern, "/")
	if len(pat) != len(parts) {
		return nil, false
	}
	var args []string
	for i, s := range pat {
		switch {
		case s == "*":
			args = append(args, parts[i])
		case s != parts[i]:
			return nil, false
		}
	}
	return args, true
}

// dispatch serves r with the first route matching method and parts,
// reporting whether one did.
func dispatch(routes []route, w http.ResponseWriter, r *http.Request, parts []string) bool {
	for _, rt := range routes {
		if args, ok := rt.match(r.Method, parts); ok {
			rt.handle(w, r, args)
			return true
		}
	}
	return false
}
