package audit

// GoldenFile lets the external demo test share the golden helper.
var GoldenFile = golden
