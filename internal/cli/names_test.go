package cli

import "github.com/pomlint/pomlint/internal/app"

// The tests of the comment command name the markers the way package cli
// did before they moved to the application layer.
const (
	commentMarker  = app.DriftMarker
	findingsMarker = app.FindingsMarker
)
