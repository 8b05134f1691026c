// Package logs is CloudWatch Logs: log groups and streams, their events,
// filter-pattern search, retention, and the Sink through which the
// agent's awslogs driver ships container output.
//
// The wire API lives in package logsapi; this package holds the rules
// (AWS's limits and messages) and the two stores behind them:
//
//	                    ┌──────────────── Service ────────────────┐
//	logsapi (JSON 1.1) ─┤ groups.go  streams.go  tags             │
//	agent (Sink) ───────┤ put.go  get.go  filterevents.go  sink.go│
//	                    └──────┬───────────────────────┬──────────┘
//	             metadata (store.Store)        events (logstore)
//	             names, IDs, retention,        segment files per stream
//	             tags                          under <data dir>/logs
//
// Metadata tables (keys begin <region>/<account>/, as every table's do):
//
//	logs.groups   <region>/<account>/<group>           → Group (JSON)
//	logs.streams  <region>/<account>/<group>:<stream>  → Stream (JSON)
//	sequence logs.ids                                  → group and stream IDs
//
// Neither group nor stream names may contain ':', so a group's streams
// share one key prefix and list in name order. Events are stored under
// the numeric IDs, never the names: a group deleted and created again
// gets a new ID and starts empty. Deleting a group removes its metadata
// in one transaction and then its directory; Sweep removes directories
// a crash left behind.
//
// Retention: Run calls Sweep every Options.SweepInterval; Sweep deletes
// each group's events older than its retention (Options.Now decides what
// "older" means, so tests inject a clock) and reclaims their disk.
//
// Ordering: events are stored in the order they arrive. GetLogEvents and
// FilterLogEvents return them in that order, which is timestamp order
// whenever each batch is no older than the one before (always so for the
// Sink, which sorts each batch; the API requires each batch in order).
package logs
