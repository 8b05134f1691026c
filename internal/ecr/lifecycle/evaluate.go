package lifecycle

import (
	"sort"
	"strings"
	"time"

	"github.com/quayside/quayside/internal/ecr"
)

// Image is what evaluation needs of an image.
type Image struct {
	Digest   ecr.Digest
	Tags     []string
	PushedAt time.Time
	// Children are the manifests an index lists.
	Children []ecr.Digest
	// Referrer is true for a manifest with a subject (a signature, an
	// SBOM): rules do not select referrers; they expire with their subject.
	Referrer bool
}

// Decision is an image a rule expires.
type Decision struct {
	Image
	RulePriority int
}

// Reasons an image a rule would expire is kept.
const (
	KeptInUse   = "in use by an ECS task or service"
	KeptInIndex = "listed by an index that is kept"
)

// Kept is an image a rule would have expired, and the guard that keeps
// it (Quayside's, not ECR's: see the package doc).
type Kept struct {
	Image
	RulePriority int
	Reason       string
}

// Result is what a policy does to a repository: the images it expires,
// oldest first, and the ones it would have expired but keeps.
type Result struct {
	Expire []Decision
	Kept   []Kept
}

// Evaluate applies a policy to a repository's images at now. inUse names
// the images that ECS tasks or services use (see InUse); they are never
// expired. It is a pure function of its arguments.
func Evaluate(p Policy, images []Image, inUse Refs, now time.Time) Result {
	// Newest first: imageCountMoreThan keeps the head of this order.
	sorted := make([]Image, 0, len(images))
	for _, im := range images {
		if !im.Referrer {
			sorted = append(sorted, im)
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool {
		if !sorted[i].PushedAt.Equal(sorted[j].PushedAt) {
			return sorted[i].PushedAt.After(sorted[j].PushedAt)
		}
		return sorted[i].Digest > sorted[j].Digest
	})
	seenBy := map[ecr.Digest]int{} // the first rule that selected the image
	expire := map[ecr.Digest]int{}
	var res Result
	for _, r := range p.Rules {
		sel := make([]Image, 0, len(sorted))
		for _, im := range sorted {
			if r.selects(im) {
				sel = append(sel, im)
			}
		}
		for _, im := range r.candidates(sel, now) {
			if prio, seen := seenBy[im.Digest]; seen && prio != r.Priority {
				continue // an earlier rule selected it: only that rule decides
			}
			expire[im.Digest] = r.Priority
		}
		for _, im := range sel {
			if _, seen := seenBy[im.Digest]; !seen {
				seenBy[im.Digest] = r.Priority
			}
		}
	}
	keep := func(im Image, reason string) {
		res.Kept = append(res.Kept, Kept{Image: im, RulePriority: expire[im.Digest], Reason: reason})
		delete(expire, im.Digest)
	}
	for _, im := range sorted {
		if _, ok := expire[im.Digest]; ok && inUse.Uses(im) {
			keep(im, KeptInUse)
		}
	}
	// An image stays while an index that lists it stays. Keeping an index
	// can keep an image that is itself an index, so repeat until stable.
	for changed := true; changed; {
		changed = false
		for _, idx := range sorted {
			if _, going := expire[idx.Digest]; going {
				continue
			}
			for _, c := range idx.Children {
				if _, going := expire[c]; going {
					keep(imageByDigest(sorted, c), KeptInIndex)
					changed = true
				}
			}
		}
	}
	for i := len(sorted) - 1; i >= 0; i-- { // oldest first
		if prio, ok := expire[sorted[i].Digest]; ok {
			res.Expire = append(res.Expire, Decision{Image: sorted[i], RulePriority: prio})
		}
	}
	return res
}

// selects reports whether the rule's tag filter takes the image.
func (r Rule) selects(im Image) bool {
	switch r.TagStatus {
	case Untagged:
		return len(im.Tags) == 0
	case Any:
		return true
	}
	if len(im.Tags) == 0 {
		return false
	}
	for _, p := range r.TagPrefixList {
		if !anyTag(im.Tags, func(t string) bool { return strings.HasPrefix(t, p) }) {
			return false
		}
	}
	for _, p := range r.TagPatternList {
		if !anyTag(im.Tags, func(t string) bool { return ecr.WildcardMatch(p, t) }) {
			return false
		}
	}
	return true
}

// candidates are the images of a selection (newest first) that the
// rule's count expires.
func (r Rule) candidates(sel []Image, now time.Time) []Image {
	switch r.CountType {
	case ImageCountMoreThan:
		if len(sel) <= r.CountNumber {
			return nil
		}
		return sel[r.CountNumber:]
	case SinceImagePushed:
		cutoff := now.Add(-time.Duration(r.CountNumber) * 24 * time.Hour)
		var out []Image
		for _, im := range sel {
			if im.PushedAt.Before(cutoff) {
				out = append(out, im)
			}
		}
		return out
	}
	return nil
}

func anyTag(tags []string, fn func(string) bool) bool {
	for _, t := range tags {
		if fn(t) {
			return true
		}
	}
	return false
}

func imageByDigest(images []Image, d ecr.Digest) Image {
	for _, im := range images {
		if im.Digest == d {
			return im
		}
	}
	return Image{Digest: d}
}
