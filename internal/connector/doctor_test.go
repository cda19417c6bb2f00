package connector

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestNetProblem(t *testing.T) {
	tls := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer tls.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer plain.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	get := func(u string) error {
		c := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		resp, err := c.Get(u)
		if err == nil {
			resp.Body.Close()
		}
		return fmt.Errorf("get it: %w", err)
	}
	tests := []struct {
		name string
		err  error
		want string // "" for not a network problem
	}{
		{"should name a refused connection", get("http://" + closed + "/"), "the connection was refused"},
		{"should name an untrusted certificate", get(tls.URL), "TLS: the server's certificate is not trusted (signed by an unknown authority"},
		{"should name https to an http server", get("https://" + strings.TrimPrefix(plain.URL, "http://")), "TLS: the server did not answer TLS"},
		{"should name an unknown host", fmt.Errorf("get: %w", &net.DNSError{Err: "no such host", Name: "jira.acme.invalid", IsNotFound: true}), "the host name jira.acme.invalid does not resolve"},
		{"should name a reset connection", fmt.Errorf("get: %w", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), "the server reset the connection without an HTTP answer"},
		{"should name a timeout", fmt.Errorf("get: %w", context.DeadlineExceeded), "did not answer in time"},
		{"should leave an HTTP answer alone", &StatusError{Method: "GET", URL: "/x", StatusCode: 404}, ""},
		{"should leave nil alone", nil, ""},
		{"should leave other errors alone", errors.New("decode: bad JSON"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NetProblem(tt.err)
			if ok != (tt.want != "") || !strings.Contains(got, tt.want) {
				t.Errorf("NetProblem(%v) = %q, %v; want %q", tt.err, got, ok, tt.want)
			}
		})
	}
}
