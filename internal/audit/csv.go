package audit

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// csvHeader is the one CSV layout: a kind column says what a row is.
//
//	kind overall|team|level: one group's figures; period current|previous
//	kind owner: one owner's item-days held and compliant in the current window
//	kind item: one item's figures in the current window
//
// Columns a kind does not fill stay empty.
func csvHeader() []string {
	return []string{
		"kind", "period", "from", "through", "name", "source", "item", "title", "level", "team", "owner",
		"items", "item_days", "compliant_days", "compliance_pct", "never_compliant",
		"median_days_to_owner", "to_owner_samples", "days_to_owner", "ownership_changes", "rules",
	}
}

// CSV writes one CSV file for spreadsheets: group rows (overall, per team,
// per level; the current period and, when compared, the previous one), one
// row per owner of the current window, and then one row per item of it. The kind column tells them
// apart. Cells a spreadsheet would run as a formula (starting with = + - @
// tab or CR) get a leading apostrophe, as lint's CSV report does: titles,
// owners and team names come from anyone who can file an issue.
func CSV(w io.Writer, rep *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader()); err != nil {
		return err
	}
	periods := []struct {
		name string
		p    *Period
	}{{"current", rep.Current}}
	if rep.Previous != nil {
		periods = append(periods, struct {
			name string
			p    *Period
		}{"previous", rep.Previous})
	}
	for _, pe := range periods {
		rows := [][]string{groupRow("overall", pe.name, pe.p, pe.p.Overall)}
		for _, g := range pe.p.Teams {
			rows = append(rows, groupRow("team", pe.name, pe.p, g))
		}
		for _, g := range pe.p.Levels {
			rows = append(rows, groupRow("level", pe.name, pe.p, g))
		}
		for _, row := range rows {
			if err := cw.Write(defuse(row)); err != nil {
				return err
			}
		}
	}
	for _, h := range rep.Current.Overall.Holders {
		row := []string{"owner", "current", rep.Current.From, rep.Current.Through, h.Name, "", "", "", "", "", h.Owner,
			strconv.Itoa(h.Items), num(h.Days), num(h.CompliantDays), csvNum(h.Compliance), "", "", "", "", "", ""}
		if err := cw.Write(defuse(row)); err != nil {
			return err
		}
	}
	for _, it := range rep.Items {
		days := ""
		if it.DaysToOwner != nil {
			days = csvNum(it.DaysToOwner)
		}
		noCompliant := "0"
		if it.CompliantDays == 0 {
			noCompliant = "1"
		}
		row := []string{"item", "current", rep.Current.From, rep.Current.Through, it.Key, it.Source, it.Key, it.Title, it.Level, it.Team, it.Owner,
			"1", num(it.ItemDays), num(it.CompliantDays), csvNum(it.Compliance), noCompliant,
			"", "", days, strconv.Itoa(it.OwnershipChanges), strings.Join(it.Rules, " ")}
		if err := cw.Write(defuse(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func groupRow(kind, period string, p *Period, g Figures) []string {
	rules := make([]string, 0, len(g.Rules))
	for _, r := range g.Rules {
		rules = append(rules, r.Rule)
	}
	return []string{kind, period, p.From, p.Through, g.Name, "", "", "", "", "", "",
		strconv.Itoa(g.Items), num(g.ItemDays), num(g.CompliantDays), csvNum(g.Compliance), strconv.Itoa(g.NeverCompliant),
		csvNum(g.MedianDaysToOwner), strconv.Itoa(g.ToOwnerSamples), "", strconv.Itoa(g.OwnershipChanges), strings.Join(rules, " ")}
}

// defuse prefixes every cell of row that a spreadsheet would read as a
// formula with an apostrophe, in place.
func defuse(row []string) []string {
	for i, c := range row {
		if c == "" {
			continue
		}
		switch c[0] {
		case '=', '+', '-', '@', '\t', '\r':
			row[i] = "'" + c
		}
	}
	return row
}
