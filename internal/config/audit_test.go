package config_test

import (
	"errors"
	"github.com/pomlint/pomlint/internal/config"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseGrace(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     time.Duration
		bad      bool
	}{
		{"should read no value as no grace", "", 0, false},
		{"should read 0 as no grace", "0", 0, false},
		{"should read days", "7d", 7 * 24 * time.Hour, false},
		{"should read weeks", "2w", 14 * 24 * time.Hour, false},
		{"should read a Go duration", "36h", 36 * time.Hour, false},
		{"should reject a word", "a week", 0, true},
		{"should reject a negative duration", "-3h", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := config.ParseGrace(tc.in)
			if (err != nil) != tc.bad || got != tc.want {
				t.Errorf("ParseGrace(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.bad)
			}
		})
	}
}

func TestLoadAuditGracePeriod(t *testing.T) {
	t.Run("should read audit.grace_period", func(t *testing.T) {
		cfg, err := config.Load(write(t, validYAML+"audit:\n  grace_period: 7d\n"), testKinds, os.Getenv)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Audit.Grace() != 7*24*time.Hour {
			t.Errorf("grace = %v", cfg.Audit.Grace())
		}
	})
	t.Run("should default to no grace", func(t *testing.T) {
		cfg, err := config.Load(write(t, validYAML), testKinds, os.Getenv)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Audit.Grace() != 0 {
			t.Errorf("grace = %v", cfg.Audit.Grace())
		}
	})
	t.Run("should name the key of a bad grace period", func(t *testing.T) {
		_, err := config.Load(write(t, validYAML+"audit:\n  grace_period: soon\n"), testKinds, os.Getenv)
		var ce *config.Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), `audit.grace_period: "soon" is not a grace period`) {
			t.Fatalf("err = %v", err)
		}
	})
}
