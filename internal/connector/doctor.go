package connector

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/pomlint/pomlint/internal/config"
)

// Checker is implemented by connectors that can diagnose their own source
// for pomlint doctor: connectivity, credentials, deployment, permissions,
// field names, the query. Check makes read-only requests and never fails:
// every problem is a Check with OK false.
type Checker interface {
	Check(ctx context.Context, req CheckRequest) []Check
}

// CheckRequest says what the run would need from the source.
type CheckRequest struct {
	// OwnerFields are the tracker field names the ownership sources and
	// classification name ("Product Owner" from "field:Product Owner").
	OwnerFields []string
	// ProjectFields are the Projects v2 field names they name.
	ProjectFields []string
	// Import is the roster import (GitHub teams, Jira groups), nil for none.
	Import *config.RosterImport
}

// Problem kinds: what the user has to change to fix a failed check.
const (
	// ProblemSource is fixed outside the config: the network, the token,
	// a permission on the tracker. The source cannot be used (exit 3).
	ProblemSource = "source"
	// ProblemConfig is fixed in the config file: a field name, the
	// deployment, the JQL (exit 2).
	ProblemConfig = "config"
)

// Check is the outcome of one doctor check.
type Check struct {
	// Name says what was checked: "connectivity", "credentials",
	// "repo acme/payments", `field "Product Owner"`, "jql".
	Name string `json:"name"`
	OK   bool   `json:"ok"`
	// Detail is what was found: the account, the deployment, the error.
	// It may span several lines (a JQL error with a caret under it).
	Detail string `json:"detail,omitempty"`
	// Next is the next step when the check failed.
	Next string `json:"next,omitempty"`
	// Kind is ProblemSource or ProblemConfig when the check failed.
	Kind string `json:"kind,omitempty"`
}

// Pass is a passed check.
func Pass(name, detail string) Check { return Check{Name: name, OK: true, Detail: detail} }

// Fail is a failed check of the given kind with the next step.
func Fail(name, kind, detail, next string) Check {
	return Check{Name: name, Kind: kind, Detail: detail, Next: next}
}

// NetProblem describes a failure to reach a server at all (refused
// connection, unknown host, TLS failure, timeout) in a few words, and
// reports whether err is one. HTTP answers are not network problems.
func NetProblem(err error) (string, bool) {
	if err == nil {
		return "", false
	}
	var dns *net.DNSError
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var rh tls.RecordHeaderError
	var ne net.Error
	switch {
	case errors.As(err, &dns):
		return "the host name " + dns.Name + " does not resolve (DNS)", true
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused (nothing listens at that address and port)", true
	case errors.As(err, &ua), errors.As(err, &hn), errors.As(err, &ci), errors.As(err, &cv):
		return "TLS: the server's certificate is not trusted (" + tlsReason(err) + ")", true
	case errors.As(err, &rh), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return "TLS: the server did not answer TLS (is the URL https:// where the server speaks http://?)", true
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "the server did not answer in time", true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the server closed the connection without an HTTP answer (another service at that address and port?)", true
	case errors.Is(err, syscall.ECONNRESET):
		return "the server reset the connection without an HTTP answer (another service at that address and port?)", true
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "the network path to the server failed (" + strings.TrimSpace(lastPart(err.Error())) + ")", true
	}
	return "", false
}

func tlsReason(err error) string {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	switch {
	case errors.As(err, &ua):
		return "signed by an unknown authority; a private CA goes in SSL_CERT_FILE or SSL_CERT_DIR"
	case errors.As(err, &hn):
		return "issued for another host name"
	}
	return lastPart(err.Error())
}

func lastPart(s string) string {
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}
