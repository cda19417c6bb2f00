package fake

import (
	"fmt"
	"time"
)

// Jira demo people. Their accountIds, usernames and keys are what a roster
// for JiraDemoData uses.
var (
	// JiraAlice is a product manager (DC key differs from the username, as
	// for users created after Jira 8.x: JIRAUSERnnnnn).
	jiraAlice = JiraUser{AccountID: "5b10a2844c20165700ede21g", Name: "alice", Key: "JIRAUSER10100", Email: "alice@acme.example", DisplayName: "Alice Chen"}
	jiraBob   = JiraUser{AccountID: "5b10ac8d82e05b22cc7d4ef5", Name: "bob", Key: "bob", Email: "bob@acme.example", DisplayName: "Bob Stone"}
	// Carol hides her email.
	jiraCarol = JiraUser{AccountID: "712020:6e1b5f6a-1c8d-4c5e-9c3a-0a1b2c3d4e5f", Name: "carol", Key: "carol", DisplayName: "Carol Diaz"}
	jiraDave  = JiraUser{AccountID: "5fb82376aca10c006949f35c", Name: "dave", Key: "dave", Email: "dave@acme.example", DisplayName: "Dave Former", Inactive: true}
	jiraErin  = JiraUser{AccountID: "5fb82376aca10c006949f35b", Name: "erin", Key: "erin", DisplayName: "Erin Contractor"}
)

// JiraDemoUsers returns the demo users: alice (PM), bob (PO), carol (a
// developer who hides her email), dave (deactivated) and erin (not in any
// roster).
func JiraDemoUsers() map[string]JiraUser {
	return map[string]JiraUser{"alice": jiraAlice, "bob": jiraBob, "carol": jiraCarol, "dave": jiraDave, "erin": jiraErin}
}

// JiraDemoFields are the custom fields of the demo site.
func JiraDemoFields() []JiraField {
	return []JiraField{
		{ID: "customfield_10050", Name: "Product Owner", Custom: true, SchemaType: "user", SchemaCustom: "com.atlassian.jira.plugin.system.customfieldtypes:userpicker"},
		{ID: "customfield_10051", Name: "Product Manager", Custom: true, SchemaType: "user", SchemaCustom: "com.atlassian.jira.plugin.system.customfieldtypes:userpicker"},
		{ID: "customfield_10060", Name: "Stakeholders", Custom: true, SchemaType: "array", SchemaItems: "user", SchemaCustom: "com.atlassian.jira.plugin.system.customfieldtypes:multiuserpicker"},
		{ID: "customfield_10070", Name: "Delivery Team", Custom: true, SchemaType: "option", SchemaCustom: "com.atlassian.jira.plugin.system.customfieldtypes:select"},
		{ID: "customfield_10080", Name: "Owner Note", Custom: true, SchemaType: "string", SchemaCustom: "com.atlassian.jira.plugin.system.customfieldtypes:textfield"},
		{ID: "customfield_10014", Name: "Epic Link", Custom: true, SchemaType: "any", SchemaCustom: "com.pyxis.greenhopper.jira:gh-epic-link"},
		{ID: "customfield_10200", Name: "Parent Link", Custom: true, SchemaType: "any", SchemaCustom: "com.atlassian.jpo:jpo-custom-field-parent"},
		{ID: "customfield_10111", Name: "Original story points", Custom: true, SchemaType: "number", SchemaCustom: "com.atlassian.jpo:jpo-custom-field-original-story-points"},
	}
}

// JiraDemoStatuses is the demo site's status list: every status the demo
// issues and changelogs name ("1" To Do and "3" In Progress in PAY-3's
// history, Ready, Done) and a second done status, Won't Do.
func JiraDemoStatuses() []JiraStatus {
	return []JiraStatus{
		{ID: "1", Name: "To Do", Category: "new"},
		{ID: "3", Name: "In Progress", Category: "indeterminate"},
		{ID: "10000", Name: "Ready", Category: "new"},
		{ID: "10001", Name: "Done", Category: "done"},
		{ID: "10002", Name: "Won't Do", Category: "done"},
	}
}

// JiraDemoData is a small, realistic Jira site: an initiative, epics,
// stories, a sub-task, a bug owned by a deactivated user, a closed task, an
// epic without owner and a spike owned by someone outside the roster, over
// projects PAY and CHK, with group members and changelogs. Tests at CLI
// level lint it through the fake and as a snapshot and expect the same
// findings.
func JiraDemoData() JiraData {
	t := func(d string) time.Time {
		v, err := time.Parse(time.RFC3339, d)
		if err != nil {
			panic(err)
		}
		return v
	}
	alice, bob, carol, dave, erin := jiraAlice, jiraBob, jiraCarol, jiraDave, jiraErin
	po := "customfield_10050"
	issues := []JiraIssue{
		{Key: "PAY-1", Summary: "Payments 2026", Type: "Initiative", HierarchyLevel: 2, Status: "In Progress", StatusCategory: "indeterminate",
			Labels: []string{"roadmap"}, Assignee: &alice, Reporter: &alice, Created: t("2025-01-06T09:00:00Z"), Updated: t("2025-03-01T10:00:00Z"),
			Custom: map[string]any{"customfield_10051": alice}},
		{Key: "PAY-2", Summary: "Card vaulting", Type: "Epic", HierarchyLevel: 1, Status: "To Do", StatusCategory: "new", Parent: "PAY-1",
			Assignee: &alice, Reporter: &alice, Components: []string{"vault"}, Created: t("2025-01-07T09:00:00Z"), Updated: t("2025-03-02T10:00:00Z"),
			Custom: map[string]any{"customfield_10051": alice, "customfield_10070": map[string]any{"self": "https://acme.example/rest/api/2/customFieldOption/10100", "value": "payments", "id": "10100"}}},
		{Key: "PAY-3", Summary: "Store card tokens", Type: "Story", Status: "In Progress", StatusCategory: "indeterminate", Parent: "PAY-2",
			Labels: []string{"backend", "pci"}, Components: []string{"vault", "api"}, Assignee: &carol, Reporter: &bob,
			Created: t("2025-01-10T09:00:00Z"), Updated: t("2025-03-05T10:00:00Z"),
			Custom: map[string]any{po: bob, "customfield_10060": []JiraUser{alice, bob}, "customfield_10111": 5.0}},
		{Key: "PAY-4", Summary: "Write token migration", Type: "Sub-task", HierarchyLevel: -1, Subtask: true, Status: "To Do", StatusCategory: "new",
			Parent: "PAY-3", Assignee: &carol, Reporter: &bob, Created: t("2025-01-11T09:00:00Z"), Updated: t("2025-03-06T10:00:00Z")},
		{Key: "PAY-5", Summary: "Refund rounding error", Type: "Bug", Status: "Ready", StatusCategory: "new", Labels: []string{"bug"},
			Reporter: &carol, Created: t("2025-02-01T09:00:00Z"), Updated: t("2025-03-07T10:00:00Z"),
			Custom: map[string]any{po: dave, "customfield_10080": "ask dave"}},
		{Key: "PAY-6", Summary: "Remove legacy gateway", Type: "Task", Status: "Done", StatusCategory: "done", Parent: "PAY-2",
			Assignee: &bob, Reporter: &bob, Created: t("2025-01-12T09:00:00Z"), Updated: t("2025-02-20T10:00:00Z"), Custom: map[string]any{po: bob}},
		{Key: "CHK-1", Summary: "One-page checkout", Type: "Epic", HierarchyLevel: 1, Status: "To Do", StatusCategory: "new",
			Reporter: &bob, Created: t("2025-01-15T09:00:00Z"), Updated: t("2025-03-03T10:00:00Z")},
		{Key: "CHK-2", Summary: "Address autocomplete", Type: "Story", Status: "To Do", StatusCategory: "new", Parent: "CHK-1",
			Labels: []string{"frontend"}, Assignee: &bob, Reporter: &bob, Created: t("2025-01-16T09:00:00Z"), Updated: t("2025-03-04T10:00:00Z"),
			Custom: map[string]any{po: carol, "customfield_10070": map[string]any{"value": "checkout", "id": "10101"}}},
		{Key: "CHK-3", Summary: "Spike: wallet providers", Type: "Spike", Status: "To Do", StatusCategory: "new",
			Reporter: &erin, Created: t("2025-02-10T09:00:00Z"), Updated: t("2025-03-08T10:00:00Z"), Custom: map[string]any{po: erin}},
	}
	return JiraData{
		Issues:   issues,
		Fields:   JiraDemoFields(),
		Statuses: JiraDemoStatuses(),
		Groups: map[string][]JiraUser{
			"product-owners":   {bob, dave},
			"product-managers": {alice},
		},
		Changelogs: map[string][]JiraChange{
			"PAY-3": {
				{At: t("2025-01-20T09:00:00Z"), Author: &bob, Field: "assignee", FieldID: "assignee", ToUser: &bob},
				{At: t("2025-02-01T09:00:00Z"), Author: &bob, Field: "issuetype", FieldID: "issuetype", From: "10002", FromString: "Task", To: "10001", ToString: "Story"},
				{At: t("2025-02-15T09:00:00Z"), Author: &alice, Field: "Product Owner", FieldType: "custom", FieldID: po, FromUser: &dave, ToUser: &bob},
				{At: t("2025-02-20T09:00:00Z"), Author: &alice, Field: "IssueParentAssociation", FieldID: "parent", To: "10002", ToString: "PAY-2"},
				{At: t("2025-03-01T09:00:00Z"), Author: &bob, Field: "assignee", FieldID: "assignee", FromUser: &bob, ToUser: &carol},
				{At: t("2025-03-02T09:00:00Z"), Author: &bob, Field: "labels", FieldID: "labels", FromString: "backend", ToString: "backend pci"},
				{At: t("2025-03-03T09:00:00Z"), Author: &bob, Field: "status", FieldID: "status", From: "1", FromString: "To Do", To: "3", ToString: "In Progress"},
			},
		},
	}
}

// JiraGenerate builds a large site for benchmarks: projects P1..Pn with
// perProject issues each; every 50th issue is an epic, the others stories
// under the latest epic, owners rotating over the demo users.
func JiraGenerate(projects, perProject int) JiraData {
	users := []JiraUser{jiraAlice, jiraBob, jiraCarol, jiraDave}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var issues []JiraIssue
	for p := 1; p <= projects; p++ {
		epic := ""
		for n := 1; n <= perProject; n++ {
			key := fmt.Sprintf("P%d-%d", p, n)
			u := users[(p+n)%len(users)]
			is := JiraIssue{Key: key, Summary: "Generated issue " + key, Type: "Story", Status: "To Do", StatusCategory: "new",
				Labels: []string{"generated"}, Assignee: &u, Reporter: &u,
				Created: base.Add(time.Duration(n) * time.Hour), Updated: base.Add(time.Duration(n+p) * time.Hour),
				Custom: map[string]any{"customfield_10050": u}}
			if n%50 == 1 {
				is.Type, is.HierarchyLevel, epic = "Epic", 1, key
			} else {
				is.Parent = epic
			}
			issues = append(issues, is)
		}
	}
	return JiraData{Issues: issues, Fields: JiraDemoFields(), Statuses: JiraDemoStatuses()}
}
