package ociapi

import (
	"strings"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/fault"
)

// endpoint is one of the OCI distribution API's endpoints.
type endpoint int

const (
	epBase      endpoint = iota + 1 // /v2/
	epCatalog                       // /v2/_catalog
	epTags                          // /v2/<name>/tags/list
	epManifest                      // /v2/<name>/manifests/<reference>
	epBlob                          // /v2/<name>/blobs/<digest>
	epUploads                       // /v2/<name>/blobs/uploads/
	epUpload                        // /v2/<name>/blobs/uploads/<id>
	epReferrers                     // /v2/<name>/referrers/<digest>
)

var endpointNames = map[endpoint]string{
	epBase: "base", epCatalog: "catalog", epTags: "tags", epManifest: "manifest",
	epBlob: "blob", epUploads: "uploads", epUpload: "upload", epReferrers: "referrers",
}

func (e endpoint) String() string { return endpointNames[e] }

// route is a parsed request path.
type route struct {
	ep   endpoint
	name string // repository
	ref  string // tag, digest or upload ID
}

// errNoRoute: the path names no endpoint.
var errNoRoute = fault.NewKind("no such endpoint", fault.NotFound)

// parseRoute parses a /v2 path. Repository names contain slashes, so the
// endpoint is read from the end of the path: the last one or two
// segments name it and everything before is the name. A name component
// may itself be "blobs" or "manifests" ("/v2/a/blobs/blobs/<digest>" is
// blob <digest> of repository "a/blobs").
func parseRoute(path string) (route, error) {
	if path == "/v2" || path == "/v2/" {
		return route{ep: epBase}, nil
	}
	rest, ok := strings.CutPrefix(path, "/v2/")
	if !ok {
		return route{}, fault.Newf(errNoRoute, "no endpoint at %q", path)
	}
	if rest == "_catalog" {
		return route{ep: epCatalog}, nil
	}
	segs := strings.Split(rest, "/")
	n := len(segs)
	var rt route
	var nameSegs int
	switch {
	case n >= 3 && segs[n-2] == "tags" && segs[n-1] == "list":
		rt, nameSegs = route{ep: epTags}, n-2
	case n >= 3 && segs[n-2] == "manifests" && segs[n-1] != "":
		rt, nameSegs = route{ep: epManifest, ref: segs[n-1]}, n-2
	case n >= 3 && segs[n-2] == "referrers" && segs[n-1] != "":
		rt, nameSegs = route{ep: epReferrers, ref: segs[n-1]}, n-2
	case n >= 3 && segs[n-2] == "blobs" && segs[n-1] == "uploads":
		rt, nameSegs = route{ep: epUploads}, n-2
	case n >= 3 && segs[n-2] == "blobs" && segs[n-1] != "":
		rt, nameSegs = route{ep: epBlob, ref: segs[n-1]}, n-2
	case n >= 4 && segs[n-3] == "blobs" && segs[n-2] == "uploads" && segs[n-1] == "":
		rt, nameSegs = route{ep: epUploads}, n-3
	case n >= 4 && segs[n-3] == "blobs" && segs[n-2] == "uploads":
		rt, nameSegs = route{ep: epUpload, ref: segs[n-1]}, n-3
	default:
		return route{}, fault.Newf(errNoRoute, "no endpoint at %q", path)
	}
	rt.name = strings.Join(segs[:nameSegs], "/")
	if err := ecr.ValidateRepositoryName(rt.name); err != nil {
		return route{}, err
	}
	return rt, nil
}

// path formats the route back into a /v2 path.
func (rt route) path() string {
	switch rt.ep {
	case epBase:
		return "/v2/"
	case epCatalog:
		return "/v2/_catalog"
	case epTags:
		return "/v2/" + rt.name + "/tags/list"
	case epManifest:
		return "/v2/" + rt.name + "/manifests/" + rt.ref
	case epBlob:
		return "/v2/" + rt.name + "/blobs/" + rt.ref
	case epUploads:
		return "/v2/" + rt.name + "/blobs/uploads/"
	case epUpload:
		return "/v2/" + rt.name + "/blobs/uploads/" + rt.ref
	case epReferrers:
		return "/v2/" + rt.name + "/referrers/" + rt.ref
	}
	return ""
}
