package app

import (
	"strings"
	"testing"
	"time"
)

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name, in string
		want     time.Time
		bad      bool
	}{
		{name: "should read days", in: "7d", want: now.AddDate(0, 0, -7)},
		{name: "should read weeks in any case", in: "2W", want: now.AddDate(0, 0, -14)},
		{name: "should read Go durations", in: "72h", want: now.Add(-72 * time.Hour)},
		{name: "should read Go durations in any case", in: "90M", want: now.Add(-90 * time.Minute)},
		{name: "should read a date", in: "2026-11-01", want: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{name: "should read an RFC 3339 time", in: "2026-11-01T10:00:00Z", want: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)},
		{name: "should read nothing as no limit", in: ""},
		{name: "should refuse an unknown unit", in: "7x", bad: true},
		{name: "should refuse fractional days", in: "1.5d", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSince(tt.in, now)
			if tt.bad {
				if err == nil || !strings.Contains(err.Error(), "7d, 2w") {
					t.Fatalf("ParseSince(%q) = %v, %v; want an error naming the accepted forms", tt.in, got, err)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("ParseSince(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}
