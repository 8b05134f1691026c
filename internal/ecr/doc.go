// Package ecr is the domain model of Quayside's Amazon ECR: repositories,
// images and their tags, the manifests that define images, and the rules
// that govern them (repository and tag names, digests, tag immutability,
// image sizes, ARNs and repository URIs).
//
// The package is independent of the wire formats. It does not import
// net/http, the store or Docker: package ecrdb keeps these records in the
// store, package registry (internal/registry) stores content and serves
// the OCI distribution API, and the ECR JSON API converts between the
// botocore shapes and these types. Every type carries JSON tags (AWS's
// names where the meaning is the same) so that the store can persist it.
//
// # Repositories and images
//
//	Repository ──< Image (one per manifest digest) ──< tag
//	     │            │
//	     │            ├── blobs: config + layers (image manifests)
//	     │            ├── children: manifests (image indexes)
//	     │            └── subject: the manifest it refers to (referrers)
//	     └──< blob link (a blob uploaded to or mounted into the repository)
//
// An image is identified by the digest of its manifest. A tag names at
// most one image of its repository; pushing a tag that exists moves it,
// unless the tag is immutable (see Repository.TagImmutable), in which case
// the push is refused with ErrImageTagAlreadyExists, even when the digest
// is the same, as ECR does.
//
// # Registry host
//
// On AWS a repository URI is <account>.dkr.ecr.<region>.amazonaws.com/<name>.
// Quayside serves the registry on the same port as the APIs and names it
// localhost:<port> (RegistryHost): a stock Docker daemon allows plain HTTP
// to loopback registries, so `docker login` and `docker push` work without
// daemon configuration. The host carries no account or region; the
// registry takes both from the authorization token, which encodes them
// (package ecrauth).
//
// # Sizes and media types
//
// imageSizeInBytes is the sum of the config and layer sizes of an image
// manifest (what ECR reports; the manifest itself is not counted) and, for
// an index, the largest size among its manifests. artifactMediaType is
// the manifest's artifactType, or else its config's media type.
package ecr
