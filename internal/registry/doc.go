// Package registry is Quayside's ECR data plane without the HTTP: blob
// uploads (monolithic, chunked, resumable), cross-repository mounts,
// blob reads, manifest pushes and pulls, tag listing, referrers and
// garbage collection, over the store (package ecr/ecrdb) and the blob
// store (package registry/blobstore). Package registry/ociapi serves it
// as the OCI distribution API; the ECR JSON API's layer operations
// (InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload, PutImage,
// BatchCheckLayerAvailability) can call the same methods.
//
// # Data
//
//	store (bbolt)                              data dir
//	ecr.repositories ─┐                        blobs/sha256/ab/ab12…   content,
//	ecr.images ───────┤ per region/account     blobs/sha512/…          shared by all
//	ecr.tags ─────────┤                        uploads/<upload id>     in progress
//	ecr.referrers ────┤                        ecr-token.key           token key
//	ecr.blobs ────────┘ links: repo holds blob
//	ecr.bloblinks       digest → repos (GC)
//	ecr.uploads         offset + sha256 state
//
// A repository holds a blob when it has a link to it: made when an upload
// into the repository completes, or by a mount. A manifest may only name
// blobs its repository holds; each image counts one reference on each of
// its blob links (BlobLink.Refs).
//
// # Concurrency and crashes
//
// Operations on one upload are serialised by a lock on its ID; the
// operations that make a blob file appear or disappear and link it (an
// upload's completion, a mount, the collector's removal) by a lock on its
// digest. Everything else is a store transaction. The file is always
// durable before the record that relies on it: an upload's bytes are
// fsynced before its offset is committed, and a blob is renamed into
// place and fsynced before its link is committed. A crash therefore
// leaves, at worst, a blob file with no link or an upload file with no
// record, both of which the collector removes.
//
// # Garbage collection
//
// Mark and sweep with a grace period, per blob, under the blob's lock:
//
//	for each blob file older than Grace and not read within Grace:
//	    lock(digest)
//	    transaction:
//	        for each link (ecr.bloblinks → ecr.blobs):
//	            Refs > 0 or linked within Grace → keep the blob, stop
//	        drop every link
//	    delete the file
//	    unlock(digest)
//
// A blob is kept while any image references it, and for Grace after it
// was last uploaded, mounted or read (HEAD or GET: pushers check blobs
// before they push the manifest that names them). A manifest push checks
// its links in a transaction, so it either commits first (the collector
// then sees Refs > 0) or finds the links gone and is refused with
// MANIFEST_BLOB_UNKNOWN: no image ever names a deleted blob. Uploads idle
// for UploadTTL are cancelled, and upload files with no record removed.
// The collector runs every GCInterval (Run) and on demand
// (CollectGarbage).
package registry
