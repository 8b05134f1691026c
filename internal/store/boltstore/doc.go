// Package boltstore is the default, embedded backend of store.Store: one
// bbolt file under the data dir, committed with fsync, shared by group
// commit between concurrent writers.
//
// # File layout
//
// Every table is a top-level bucket, created by its first Put. The name
// "meta" is reserved for the store's own bookkeeping. Keys and values are
// stored as given; values are opaque bytes (JSON for the typed helpers).
//
//	quayside.db
//	├── meta                                  store bookkeeping
//	│   ├── schema_version  → uint64          version of this layout (see below)
//	│   ├── revision        → uint64          last committed revision
//	│   └── sequences                         bucket of named counters
//	│       └── <name>      → uint64          last value NextSequence returned
//	├── ecs.clusters                          one bucket per table
//	│   └── <region>/<account>/<cluster>  → <record>
//	├── ecs.tasks
//	│   └── <region>/<account>/<cluster>/<task id>  → <record>
//	└── <table>
//	    └── <key>           → <value>
//
// Integers are 8-byte big-endian. Keys sort bytewise, which is what Scan
// and pagination rely on.
//
// # Transactions and revisions
//
// View is a bbolt read transaction. Update goes through a group commit
// (commit.go): writers that arrive while a commit is being written share
// the next commit and its fsync. Each Update closure is still its own
// logical transaction: it bumps meta/revision by one before it runs, so
// closures batched together commit consecutive revisions, and Revision
// inside an Update is the revision it commits as. A closure may run more
// than once (when another closure of the batch fails, the batch is
// retried without it); the events of a run are published to watchers by
// a bbolt commit handler, so only the run that actually committed is
// seen, and only after its fsync.
//
// # Watchers
//
// Published batches pass through a sequencer that releases them in
// revision order. Each watcher owns a bounded channel; a publish never
// blocks. When a watcher's channel is full, its pending batches are dropped
// and replaced by one batch with Resync set, and the watcher must re-read.
//
// # Migrations
//
// meta/schema_version records the layout a file was written with. Open
// applies, in one write transaction, every migration in migrations.go
// whose version is above the recorded one, then stores the new version.
// A fresh file starts at version 0, so it runs every migration. A file with
// a version above the last migration this binary knows was written by a
// newer Quayside, and Open refuses it rather than risk misreading it.
//
// To change the layout: append a migration with the next version number;
// never edit or reorder a migration that has shipped.
package boltstore
