package docker

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Image is the part of an image's inspection Quayside uses.
type Image struct {
	ID string `json:"Id"`
	// RepoTags are the names the image is known by, "repo:tag".
	RepoTags []string `json:"RepoTags"`
	// RepoDigests are "repo@sha256:..." for each registry the image was
	// pulled from or pushed to; ECS reports the digest as imageDigest.
	RepoDigests  []string         `json:"RepoDigests"`
	Created      time.Time        `json:"Created"`
	Size         int64            `json:"Size"`
	Architecture string           `json:"Architecture"`
	OS           string           `json:"Os"`
	Config       *ContainerConfig `json:"Config"`
}

// Digest returns the digest part of the first RepoDigest whose repository
// is repo (as in "repo@sha256:..."), or of the first one if repo is "".
func (im *Image) Digest(repo string) string {
	for _, rd := range im.RepoDigests {
		name, dgst, ok := strings.Cut(rd, "@")
		if ok && (repo == "" || name == repo) {
			return dgst
		}
	}
	return ""
}

// ImageInspect returns the image with the given name or ID. A missing
// image gives an error for which IsNotFound is true.
func (c *Client) ImageInspect(ctx context.Context, ref string) (*Image, error) {
	var im Image
	if err := c.call(ctx, http.MethodGet, "/images/"+pathEscape(ref)+"/json", nil, nil, &im); err != nil {
		return nil, err
	}
	return &im, nil
}

// AuthConfig holds registry credentials for pull and push.
type AuthConfig struct {
	Username      string `json:"username,omitempty"`
	Password      string `json:"password,omitempty"`
	ServerAddress string `json:"serveraddress,omitempty"`
}

// header encodes the credentials as Docker's X-Registry-Auth value:
// base64url of the JSON. A nil config encodes as "{}", which the daemon
// reads as anonymous.
func (a *AuthConfig) header() string {
	b := []byte("{}")
	if a != nil {
		b, _ = json.Marshal(a) // cannot fail
	}
	return base64.URLEncoding.EncodeToString(b)
}

// ImagePull pulls ref ("repo", "repo:tag" or "repo@sha256:...") with the
// given credentials, which may be nil. A reference without tag or digest
// means ":latest". It reads the whole progress stream and fails with the
// first error the daemon reports in it.
func (c *Client) ImagePull(ctx context.Context, ref string, auth *AuthConfig) error {
	repo, tag := splitRef(ref)
	q := url.Values{"fromImage": {repo}, "tag": {tag}}
	resp, err := c.send(ctx, request{
		method: http.MethodPost, path: "/images/create", query: q,
		header: http.Header{"X-Registry-Auth": {auth.header()}},
	})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return readStream(http.MethodPost, "/images/create", resp.Body, nil)
}

// ImagePush pushes ref ("repo:tag") with the given credentials and
// returns the digest of the pushed manifest.
func (c *Client) ImagePush(ctx context.Context, ref string, auth *AuthConfig) (digest string, err error) {
	repo, tag := splitRef(ref)
	path := "/images/" + pathEscape(repo) + "/push"
	resp, err := c.send(ctx, request{
		method: http.MethodPost, path: path, query: url.Values{"tag": {tag}},
		header: http.Header{"X-Registry-Auth": {auth.header()}},
	})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	err = readStream(http.MethodPost, path, resp.Body, func(m *streamMessage) {
		var aux struct{ Digest string }
		if m.Aux != nil && json.Unmarshal(m.Aux, &aux) == nil && aux.Digest != "" {
			digest = aux.Digest
		}
	})
	return digest, err
}

// ImageTag gives the image source the additional name target ("repo:tag";
// the tag defaults to latest).
func (c *Client) ImageTag(ctx context.Context, source, target string) error {
	repo, tag := splitRef(target)
	q := url.Values{"repo": {repo}, "tag": {tag}}
	return c.call(ctx, http.MethodPost, "/images/"+pathEscape(source)+"/tag", q, nil, nil)
}

// ImageRemove removes the name or image ref. With force, an image used
// by a stopped container or known by several names is removed too.
func (c *Client) ImageRemove(ctx context.Context, ref string, force bool) error {
	q := url.Values{"force": {strconv.FormatBool(force)}}
	return c.call(ctx, http.MethodDelete, "/images/"+pathEscape(ref), q, nil, nil)
}

// BuildOptions configure ImageBuild.
type BuildOptions struct {
	// Tags name the image, "repo:tag".
	Tags []string
	// Dockerfile is the Dockerfile's path inside the context; the default
	// is "Dockerfile".
	Dockerfile string
	Labels     map[string]string
	BuildArgs  map[string]string
	NoCache    bool
	// Output, if set, receives the build's text output.
	Output io.Writer
}

// ImageBuild builds an image with the classic builder from a tar archive
// of the build context and returns the new image's ID. Intermediate
// containers are always removed.
func (c *Client) ImageBuild(ctx context.Context, tarContext io.Reader, opts BuildOptions) (imageID string, err error) {
	q := url.Values{"rm": {"1"}, "forcerm": {"1"}, "t": opts.Tags}
	if opts.Dockerfile != "" {
		q.Set("dockerfile", opts.Dockerfile)
	}
	if opts.NoCache {
		q.Set("nocache", "1")
	}
	if len(opts.Labels) > 0 {
		b, _ := json.Marshal(opts.Labels)
		q.Set("labels", string(b))
	}
	if len(opts.BuildArgs) > 0 {
		b, _ := json.Marshal(opts.BuildArgs)
		q.Set("buildargs", string(b))
	}
	resp, err := c.send(ctx, request{
		method: http.MethodPost, path: "/build", query: q, body: tarContext,
		header: http.Header{"Content-Type": {"application/x-tar"}},
	})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	err = readStream(http.MethodPost, "/build", resp.Body, func(m *streamMessage) {
		if opts.Output != nil && m.Stream != "" {
			_, _ = io.WriteString(opts.Output, m.Stream)
		}
		var aux struct{ ID string }
		if m.Aux != nil && json.Unmarshal(m.Aux, &aux) == nil && aux.ID != "" {
			imageID = aux.ID
		}
	})
	return imageID, err
}

// splitRef splits an image reference into the repository and the tag or
// digest, defaulting the tag to "latest". A colon before the last slash
// belongs to a registry host, as in "127.0.0.1:4566/app".
func splitRef(ref string) (repo, tag string) {
	if i := strings.LastIndex(ref, "@"); i >= 0 {
		return ref[:i], ref[i+1:]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		return ref[:i], ref[i+1:]
	}
	return ref, "latest"
}

// streamMessage is one JSON object of a pull, push or build progress
// stream.
type streamMessage struct {
	Stream      string `json:"stream"`
	Status      string `json:"status"`
	ID          string `json:"id"`
	Error       string `json:"error"`
	ErrorDetail *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errorDetail"`
	Aux json.RawMessage `json:"aux"`
}

// readStream decodes a progress stream to its end, calling fn (if not
// nil) for each message. It returns the first error message the stream
// carries as an *Error, after draining the rest so the daemon's work is
// not cut short.
func readStream(method, path string, r io.Reader, fn func(*streamMessage)) error {
	dec := json.NewDecoder(r)
	var first error
	for {
		var m streamMessage
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return first
		}
		if err != nil {
			if first != nil {
				return first
			}
			return fmt.Errorf("docker %s %s: reading progress: %w", method, path, err)
		}
		if fn != nil {
			fn(&m)
		}
		if first == nil && (m.Error != "" || m.ErrorDetail != nil) {
			e := &Error{Message: m.Error, Method: method, Path: path}
			if m.ErrorDetail != nil {
				e.StatusCode = m.ErrorDetail.Code
				if e.Message == "" {
					e.Message = m.ErrorDetail.Message
				}
			}
			first = e
		}
	}
}
