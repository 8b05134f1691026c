// Package lifecycle evaluates ECR lifecycle policies and expires the
// images they select: on demand for StartLifecyclePolicyPreview, and on
// a schedule (Runner) as ECR does "within 24 hours".
//
//	lifecyclePolicyText ──Parse──▶ Policy (rules sorted by rulePriority)
//	                                   │
//	 ecrdb images ──▶ []Image ─────────┤
//	 ecsdb tasks/services ──▶ InUse ───┤
//	                                   ▼
//	                     Evaluate (pure: no store, no clock)
//	                                   │
//	                                   ▼
//	      Result{Expire: which image, by which rule; Kept: why not}
//	           │                                  │
//	    preview (ecrapi)                Runner: Expire in the same
//	                                    transaction that read the images
//
// # Evaluation, as ECR documents it
//
//   - Rules are applied in rulePriority order, lowest first.
//   - A rule selects images by tag status: tagged (with tagPrefixList:
//     every prefix starts some tag of the image; or tagPatternList: every
//     pattern, where '*' matches any run of characters, matches some tag),
//     untagged (no tags) or any.
//   - imageCountMoreThan N keeps the N most recently pushed images of the
//     rule's selection and expires the rest; sinceImagePushed N (days)
//     expires the selection's images pushed more than N days ago.
//   - An image is expired by at most one rule: once a rule has selected an
//     image (expiring it or not), no later rule may expire it. Later rules
//     still count it in their selection, as ECR says: they "can still
//     identify them as if they haven't been expired".
//   - Validation (Parse) enforces unique priorities, one untagged rule,
//     and the any rule last.
//
// # Safer than AWS
//
// Quayside never expires an image that a running or desired ECS task
// still uses. It reads the tasks of the repository's region and account
// through ecsdb: every task whose lastStatus is not STOPPED protects the
// images its containers name (<host>/<repository>:<tag> or
// <host>/<repository>@<digest>; the host is not compared) and the digests
// its containers resolved (imageDigest); every ACTIVE or DRAINING
// service protects the images of the task definitions its deployments
// run, so that a service can always start its tasks again. ECR has no
// such guard. A protected image is only skipped: no other image is
// expired in its place, so Quayside never expires more than ECR would.
//
// Two more rules keep repositories consistent: an image that an index
// (multi-architecture manifest list) lists is expired only with every
// index that lists it, as ECR documents; and referrers (signatures,
// SBOMs: manifests with a subject) are not selected by rules but expire
// with their subject. Expiring deletes the image and its tags; the
// registry's garbage collector reclaims the layers later.
package lifecycle
