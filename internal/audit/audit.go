// Package audit turns item history into ownership timelines and period
// figures: for every item alive in a window it replays the history backwards
// from the item's current state, judges each interval against the roster
// (was the item owned by someone holding the role its level needs?), and sums
// the intervals into time-weighted compliance per team, per level and overall,
// with the same figures for the previous period of equal length.
//
// The package reads no tracker: internal/app (App.Audit) fetches items and
// history through the connectors and hands them to Run. Renderers (Markdown, CSV, JSON, HTML) live
// next to it and render the *Report Run returns; the same input gives
// byte-identical output.
package audit

import (
	"time"

	"github.com/pomlint/pomlint/internal/classify"
	"github.com/pomlint/pomlint/internal/model"
	"github.com/pomlint/pomlint/internal/rules"
)

// SchemaVersion is the version of the JSON audit report.
const SchemaVersion = 1

// Day is the unit every figure is expressed in.
const Day = 24 * time.Hour

// NoTeam names the group of item-days that matched no team.
const NoTeam = "(no team)"

// Rules an interval can violate: the rules of rules.JudgeOwnership, the
// judgement lint's "correctly owned" share makes. OWN006 (orphan) says
// nothing about the owner and is not judged.
const (
	RuleStrategicNotPM = rules.IDStrategicOwnedByNonPM
	RuleTacticalNotPO  = rules.IDTacticalOwnedByNonPO
	RuleMissingOwner   = rules.IDMissingOwner
	RuleNotInRoster    = rules.IDOwnerNotInRoster
	RuleUnclassified   = rules.IDUnclassifiedItem
	RuleOutsideTeam    = rules.IDOwnerOutsideTeam
)

// RuleName is the name of a built-in rule, for reports.
func RuleName(id string) string {
	d, _ := rules.BuiltinDoc(id)
	return d.Name
}

// History is item history keyed by HistoryKey(source, item key); events of
// one item in time order.
type History map[string][]model.Event

// HistoryKey is the key of an item's events in a History.
func HistoryKey(source, item string) string { return source + "\x00" + item }

// Options configure one audit.
type Options struct {
	// From and To bound the window [From, To): To is exclusive
	// (app.ParseAuditWindow passes the day after --to).
	From, To time.Time
	// Now ends the timelines of open items.
	Now time.Time
	// ComparePrevious also computes the period of equal length before From.
	ComparePrevious bool
	// Classifier resolves level, owner and team of each reconstructed state.
	Classifier *classify.Classifier
	// Roster judges owners' roles (with roles_since when people have it).
	Roster *model.Roster
	// GracePeriod is how long a new item may go without an owner before
	// it counts: missing-owner time in its first GracePeriod is left out
	// of every figure, and rule stretches shorter than it are left out of
	// the most frequent rules. 0 means no grace.
	GracePeriod time.Duration
	// Tool and Sources are copied into the report.
	Tool    model.Tool
	Sources []model.SourceStatus
}

// Report is an audit's outcome: what every renderer renders.
type Report struct {
	SchemaVersion int                  `json:"schema_version"`
	Tool          model.Tool           `json:"tool"`
	Complete      bool                 `json:"complete"`
	Sources       []model.SourceStatus `json:"sources"`
	// GeneratedAt is Options.Now.
	GeneratedAt time.Time `json:"generated_at"`
	// GraceDays is Options.GracePeriod in days (0: no grace).
	GraceDays float64 `json:"grace_period_days"`
	Current   *Period `json:"current"`
	Previous  *Period `json:"previous,omitempty"`
	// Diff is Current minus Previous, when Previous was asked for.
	Diff *Diff `json:"diff,omitempty"`
	// Items are the items alive in the current window, by source and key.
	Items []ItemReport `json:"items"`
	// Notes state the limitations of this audit in words.
	Notes []string `json:"notes"`
}

// Period is the figures of one window.
type Period struct {
	// From is the first day, Through the last day (inclusive), Days the
	// window's length.
	From    string  `json:"from"`
	Through string  `json:"through"`
	Days    float64 `json:"days"`
	Overall Figures `json:"overall"`
	// Teams and Levels are sorted by name ((no team) last).
	Teams  []Figures `json:"teams"`
	Levels []Figures `json:"levels"`
	// Months is overall compliance per calendar month (UTC) of the window.
	Months []Month `json:"months"`
	// TimeToOwner is the distribution of days from creation to a correct
	// owner, for items created in the window.
	TimeToOwner []Bucket `json:"time_to_owner"`

	from, to time.Time
}

// Figures are one group's figures in one period.
type Figures struct {
	Name string `json:"name"`
	// Items is the number of items alive in the period (an item counts for
	// the team and level it had at the end of its time in the period).
	Items int `json:"items"`
	// ItemDays and CompliantDays sum the time items were alive and
	// correctly owned (each interval counts for the team and level it had).
	ItemDays      float64 `json:"item_days"`
	CompliantDays float64 `json:"compliant_days"`
	// Compliance is CompliantDays / ItemDays in percent, one decimal; nil
	// without item-days.
	Compliance *float64 `json:"compliance_pct"`
	// NeverCompliant counts items not correctly owned for a moment of the
	// period.
	NeverCompliant int `json:"never_compliant"`
	// MedianDaysToOwner is the median time from creation to the first
	// correct owner over items created in the period that got one in it;
	// ToOwnerSamples says how many did. Nil without samples.
	MedianDaysToOwner *float64 `json:"median_days_to_owner"`
	ToOwnerSamples    int      `json:"to_owner_samples"`
	// OwnershipChanges counts changes of the resolved owner in the period.
	OwnershipChanges int `json:"ownership_changes"`
	// Rules are the violated rules, most item-days first.
	Rules []RuleCount `json:"rules"`
	// Owners are the owners of non-compliant items, most items first (at
	// most TopOwners).
	Owners []OwnerCount `json:"owners"`
	// Holders are every owner's item-days held and the share of them
	// correctly owned, most item-days first.
	Holders []HolderCount `json:"holders"`
}

// HolderCount is how long one owner held items and how much of it was
// correctly owned.
type HolderCount struct {
	// Owner is the roster id, or the account handle when the owner is not
	// in the roster; Name its display name.
	Owner         string   `json:"owner"`
	Name          string   `json:"name"`
	Items         int      `json:"items"`
	Days          float64  `json:"item_days"`
	CompliantDays float64  `json:"compliant_days"`
	Compliance    *float64 `json:"compliance_pct"`
}

// TopOwners bounds Figures.Owners.
const TopOwners = 10

// RuleCount is how much one rule was violated.
type RuleCount struct {
	Rule  string  `json:"rule"`
	Name  string  `json:"name"`
	Items int     `json:"items"`
	Days  float64 `json:"item_days"`
	// Share is Days over the group's item-days in percent, one decimal.
	Share *float64 `json:"share_pct"`
}

// OwnerCount is how many non-compliant items one owner held.
type OwnerCount struct {
	// Owner is the roster id, or the account handle when the owner is not
	// in the roster; Name its display name.
	Owner string  `json:"owner"`
	Name  string  `json:"name"`
	Items int     `json:"items"`
	Days  float64 `json:"item_days"`
}

// Month is overall compliance in one calendar month of a window.
type Month struct {
	Month      string   `json:"month"` // 2026-07
	ItemDays   float64  `json:"item_days"`
	Compliance *float64 `json:"compliance_pct"`
}

// Bucket is one bar of the time-to-owner distribution.
type Bucket struct {
	Label string `json:"label"`
	Items int    `json:"items"`
}

// Diff is the change from the previous period to the current one.
type Diff struct {
	Overall DiffFigures   `json:"overall"`
	Teams   []DiffFigures `json:"teams"`
	Levels  []DiffFigures `json:"levels"`
}

// DiffFigures are current minus previous for one group; a nil delta means
// one side had no figure.
type DiffFigures struct {
	Name              string   `json:"name"`
	Compliance        *float64 `json:"compliance_pp"`
	Items             int      `json:"items"`
	NeverCompliant    int      `json:"never_compliant"`
	MedianDaysToOwner *float64 `json:"median_days_to_owner"`
	OwnershipChanges  int      `json:"ownership_changes"`
}

// ItemReport is one item's timeline in the current window.
type ItemReport struct {
	Source string `json:"source"`
	Key    string `json:"key"`
	Title  string `json:"title,omitempty"`
	URL    string `json:"url,omitempty"`
	// Team, Level and Owner are the item's at the end of the window.
	Team          string   `json:"team"`
	Level         string   `json:"level"`
	Owner         string   `json:"owner"`
	OwnerName     string   `json:"owner_name,omitempty"`
	Created       string   `json:"created,omitempty"`
	ItemDays      float64  `json:"item_days"`
	CompliantDays float64  `json:"compliant_days"`
	Compliance    *float64 `json:"compliance_pct"`
	// DaysToOwner is set for items created in the window that got a
	// correct owner in it.
	DaysToOwner      *float64 `json:"days_to_owner,omitempty"`
	OwnershipChanges int      `json:"ownership_changes"`
	// Rules lists the rules violated in the window, sorted.
	Rules     []string   `json:"rules"`
	Intervals []Interval `json:"intervals"`
}

// Interval is a stretch of an item's life with one judgement.
type Interval struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Level string    `json:"level"`
	// Owner is the roster id, or the account handle when the owner is not
	// in the roster, "" when nobody owned the item.
	Owner     string `json:"owner"`
	Via       string `json:"via,omitempty"`
	InRoster  bool   `json:"in_roster"`
	Team      string `json:"team"`
	Compliant bool   `json:"compliant"`
	// Rule is the violated rule, "" when compliant.
	Rule string `json:"rule,omitempty"`

	// span is the length of the whole stretch, before clipping to a
	// window: the most frequent rules leave out stretches shorter than the
	// grace period.
	span time.Duration
}

func (iv Interval) sameJudgement(o Interval) bool {
	return iv.Level == o.Level && iv.Owner == o.Owner && iv.Via == o.Via && iv.InRoster == o.InRoster &&
		iv.Team == o.Team && iv.Compliant == o.Compliant && iv.Rule == o.Rule
}

// Add files a source's events (keyed by item key, as a HistoryFetcher
// returns them) under that source.
func (h History) Add(source string, byItem map[string][]model.Event) {
	for k, evs := range byItem {
		key := HistoryKey(source, k)
		h[key] = append(h[key], evs...)
	}
}
