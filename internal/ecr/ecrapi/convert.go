package ecrapi

import (
	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecrwire"
)

// The one place where ECR's domain records become wire shapes.

func (a *API) repositoryOut(r ecr.Repository) *ecrwire.Repository {
	out := &ecrwire.Repository{
		RepositoryArn:      wire.String(r.ARN),
		RegistryId:         wire.String(r.RegistryID),
		RepositoryName:     wire.String(r.Name),
		RepositoryUri:      wire.String(r.URI(a.host())),
		CreatedAt:          wire.NewTime(r.CreatedAt),
		ImageTagMutability: wire.String(string(r.ImageTagMutability)),
		ImageScanningConfiguration: &ecrwire.ImageScanningConfiguration{
			ScanOnPush: wire.Bool(r.ImageScanningConfiguration.ScanOnPush),
		},
		EncryptionConfiguration:            &ecrwire.EncryptionConfiguration{EncryptionType: wire.String(r.EncryptionConfiguration.EncryptionType)},
		ImageTagMutabilityExclusionFilters: filtersOut(r.ImageTagMutabilityExclusionFilters),
	}
	if k := r.EncryptionConfiguration.KMSKey; k != "" {
		out.EncryptionConfiguration.KmsKey = wire.String(k)
	}
	return out
}

func filtersIn(fs []ecrwire.ImageTagMutabilityExclusionFilter) []ecr.ExclusionFilter {
	var out []ecr.ExclusionFilter
	for _, f := range fs {
		out = append(out, ecr.ExclusionFilter{FilterType: str(f.FilterType), Filter: str(f.Filter)})
	}
	return out
}

func filtersOut(fs []ecr.ExclusionFilter) []ecrwire.ImageTagMutabilityExclusionFilter {
	var out []ecrwire.ImageTagMutabilityExclusionFilter
	for _, f := range fs {
		out = append(out, ecrwire.ImageTagMutabilityExclusionFilter{FilterType: wire.String(f.FilterType), Filter: wire.String(f.Filter)})
	}
	return out
}

func tagsIn(ts []ecrwire.Tag) []ecr.Tag {
	var out []ecr.Tag
	for _, t := range ts {
		out = append(out, ecr.Tag{Key: str(t.Key), Value: str(t.Value)})
	}
	return out
}

func tagsOut(ts []ecr.Tag) []ecrwire.Tag {
	out := make([]ecrwire.Tag, 0, len(ts))
	for _, t := range ts {
		out = append(out, ecrwire.Tag{Key: wire.String(t.Key), Value: wire.String(t.Value)})
	}
	return out
}

func imageDetail(im ecr.Image) ecrwire.ImageDetail {
	d := ecrwire.ImageDetail{
		RegistryId:             wire.String(im.RegistryID),
		RepositoryName:         wire.String(im.Repository),
		ImageDigest:            wire.String(string(im.Digest)),
		ImageTags:              im.Tags,
		ImageSizeInBytes:       wire.Int64(im.SizeInBytes),
		ImagePushedAt:          wire.NewTime(im.PushedAt),
		ImageManifestMediaType: wire.String(im.ManifestMediaType),
		ImageScanStatus:        scanStatus(im.Scan),
		ImageStatus:            wire.String("ACTIVE"),
	}
	if im.ArtifactMediaType != "" {
		d.ArtifactMediaType = wire.String(im.ArtifactMediaType)
	}
	if im.LastRecordedPullTime != nil {
		d.LastRecordedPullTime = wire.NewTime(*im.LastRecordedPullTime)
	}
	if im.Subject != nil {
		d.SubjectManifestDigest = wire.String(string(im.Subject.Digest))
	}
	return d
}

func scanStatus(s *ecr.ScanRecord) *ecrwire.ImageScanStatus {
	if s == nil {
		return nil
	}
	return &ecrwire.ImageScanStatus{Status: wire.String(s.Status), Description: wire.String(s.Description)}
}

// imageID is {imageDigest, imageTag}; an empty tag is left out.
func imageID(d ecr.Digest, tag string) ecrwire.ImageIdentifier {
	id := ecrwire.ImageIdentifier{ImageDigest: wire.String(string(d))}
	if tag != "" {
		id.ImageTag = wire.String(tag)
	}
	return id
}
