package ecrapi

import (
	"context"

	"github.com/quayside/quayside/internal/ecr"
	"github.com/quayside/quayside/internal/ecr/ecrdb"
	"github.com/quayside/quayside/internal/protocol/awsjson"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/wire"
	"github.com/quayside/quayside/internal/wire/ecrwire"
)

type (
	createRepositoryIn struct {
		ecrwire.CreateRepositoryRequest
		unchecked
	}
	describeRepositoriesIn struct {
		ecrwire.DescribeRepositoriesRequest
		unchecked
	}
	deleteRepositoryIn struct {
		ecrwire.DeleteRepositoryRequest
		unchecked
	}
	putImageTagMutabilityIn struct {
		ecrwire.PutImageTagMutabilityRequest
		unchecked
	}
	putImageScanningConfigurationIn struct {
		ecrwire.PutImageScanningConfigurationRequest
		unchecked
	}
)

func (a *API) mountRepositories(s *awsjson.Service) {
	handle(a, s, "CreateRepository", a.createRepository)
	handle(a, s, "DescribeRepositories", a.describeRepositories)
	handle(a, s, "DeleteRepository", a.deleteRepository)
	handle(a, s, "PutImageTagMutability", a.putImageTagMutability)
	handle(a, s, "PutImageScanningConfiguration", a.putImageScanningConfiguration)
}

func (a *API) createRepository(ctx context.Context, c *call, in *createRepositoryIn) (*ecrwire.CreateRepositoryResponse, error) {
	n := ecr.NewRepository{
		Region: c.scope.Region, Account: c.scope.Account, Name: str(in.RepositoryName),
		ImageTagMutability:                 ecr.TagMutability(str(in.ImageTagMutability)),
		ImageTagMutabilityExclusionFilters: filtersIn(in.ImageTagMutabilityExclusionFilters),
	}
	if in.ImageScanningConfiguration != nil {
		n.ImageScanningConfiguration.ScanOnPush = wire.ToBool(in.ImageScanningConfiguration.ScanOnPush)
	}
	if e := in.EncryptionConfiguration; e != nil {
		n.EncryptionConfiguration = ecr.EncryptionConfiguration{EncryptionType: str(e.EncryptionType), KMSKey: str(e.KmsKey)}
	}
	tags, err := mergeTags(nil, tagsIn(in.Tags))
	if err != nil {
		return nil, err
	}
	n.Tags = tags
	r, err := n.Build(a.now())
	if err != nil {
		return nil, err
	}
	err = a.st.Update(ctx, func(tx store.Tx) error { return ecrdb.CreateRepository(tx, c.scope, r) })
	if err != nil {
		return nil, err
	}
	return &ecrwire.CreateRepositoryResponse{Repository: a.repositoryOut(r)}, nil
}

func (a *API) describeRepositories(ctx context.Context, c *call, in *describeRepositoriesIn) (*ecrwire.DescribeRepositoriesResponse, error) {
	out := &ecrwire.DescribeRepositoriesResponse{Repositories: []ecrwire.Repository{}}
	if len(in.RepositoryNames) > 0 {
		if in.MaxResults != nil || in.NextToken != nil {
			return nil, ecr.InvalidParameter("maxResults", "maxResults and nextToken cannot be used with repositoryNames")
		}
		err := a.st.View(ctx, func(tx store.ReadTx) error {
			for _, name := range in.RepositoryNames {
				r, err := ecrdb.Repository(tx, c.scope, name)
				if err != nil {
					return err
				}
				out.Repositories = append(out.Repositories, *a.repositoryOut(r))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	after, err := decodeToken(tokRepositories, in.NextToken)
	if err != nil {
		return nil, err
	}
	n := pageSize(in.MaxResults)
	var repos []ecr.Repository
	err = a.st.View(ctx, func(tx store.ReadTx) (err error) {
		repos, err = ecrdb.ListRepositories(tx, c.scope, after, n+1)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(repos) > n {
		repos = repos[:n]
		out.NextToken = encodeToken(tokRepositories, repos[n-1].Name)
	}
	for _, r := range repos {
		out.Repositories = append(out.Repositories, *a.repositoryOut(r))
	}
	return out, nil
}

func (a *API) deleteRepository(ctx context.Context, c *call, in *deleteRepositoryIn) (*ecrwire.DeleteRepositoryResponse, error) {
	var r ecr.Repository
	err := a.st.Update(ctx, func(tx store.Tx) (err error) {
		r, err = ecrdb.DeleteRepository(tx, c.scope, str(in.RepositoryName), wire.ToBool(in.Force))
		return err
	})
	if err != nil {
		return nil, err
	}
	// Blob files stay until the registry's garbage collector finds no
	// repository holding them.
	return &ecrwire.DeleteRepositoryResponse{Repository: a.repositoryOut(r)}, nil
}

func (a *API) putImageTagMutability(ctx context.Context, c *call, in *putImageTagMutabilityIn) (*ecrwire.PutImageTagMutabilityResponse, error) {
	m := ecr.TagMutability(str(in.ImageTagMutability))
	filters := filtersIn(in.ImageTagMutabilityExclusionFilters)
	if err := ecr.ValidateExclusionFilters(m, filters); err != nil {
		return nil, err
	}
	r, err := a.updateRepository(ctx, c, str(in.RepositoryName), func(r *ecr.Repository) error {
		r.ImageTagMutability, r.ImageTagMutabilityExclusionFilters = m, filters
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ecrwire.PutImageTagMutabilityResponse{
		RegistryId: c.registryID(), RepositoryName: wire.String(r.Name),
		ImageTagMutability:                 wire.String(string(r.ImageTagMutability)),
		ImageTagMutabilityExclusionFilters: filtersOut(r.ImageTagMutabilityExclusionFilters),
	}, nil
}

func (a *API) putImageScanningConfiguration(ctx context.Context, c *call, in *putImageScanningConfigurationIn) (*ecrwire.PutImageScanningConfigurationResponse, error) {
	r, err := a.updateRepository(ctx, c, str(in.RepositoryName), func(r *ecr.Repository) error {
		if in.ImageScanningConfiguration != nil {
			r.ImageScanningConfiguration.ScanOnPush = wire.ToBool(in.ImageScanningConfiguration.ScanOnPush)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ecrwire.PutImageScanningConfigurationResponse{
		RegistryId: c.registryID(), RepositoryName: wire.String(r.Name),
		ImageScanningConfiguration: &ecrwire.ImageScanningConfiguration{ScanOnPush: wire.Bool(r.ImageScanningConfiguration.ScanOnPush)},
	}, nil
}
