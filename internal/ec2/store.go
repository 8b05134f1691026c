package ec2

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"

	"github.com/quayside/quayside/internal/store"
)

// Table names.
const (
	Vpcs    = "ec2.vpcs"
	Subnets = "ec2.subnets"
	Groups  = "ec2.groups"
	Meta    = "ec2.meta"
)

// Options configure the service.
type Options struct {
	Rand io.Reader // default crypto/rand
}

// Service is EC2 networking over the durable store.
type Service struct {
	st   store.Store
	rand io.Reader
}

// New returns the service over a store.
func New(st store.Store, o Options) *Service {
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	return &Service{st: st, rand: o.Rand}
}

// newID returns prefix and 17 random hex digits, as EC2 IDs are.
func (s *Service) newID(prefix string) string {
	var b [9]byte
	if _, err := io.ReadFull(s.rand, b[:]); err != nil {
		panic("ec2: read random bytes: " + err.Error())
	}
	return prefix + hex.EncodeToString(b[:])[:17]
}

// state is a scope's VPCs, subnets and security groups as one
// transaction sees them, defaults included.
type state struct {
	scope   Scope
	vpcs    []Vpc
	subnets []Subnet
	groups  []SecurityGroup
}

// load reads a scope's resources; before the defaults are materialized
// it adds them.
func load(tx store.ReadTx, sc Scope) (*state, error) {
	st := &state{scope: sc}
	var err error
	if st.vpcs, err = store.List[Vpc](tx, Vpcs, sc.prefix(), "", 0); err != nil {
		return nil, err
	}
	if st.subnets, err = store.List[Subnet](tx, Subnets, sc.prefix(), "", 0); err != nil {
		return nil, err
	}
	if st.groups, err = store.List[SecurityGroup](tx, Groups, sc.prefix(), "", 0); err != nil {
		return nil, err
	}
	done, err := materialized(tx, sc)
	if err != nil || done {
		return st, err
	}
	vpc, subnets, sg := defaults(sc)
	st.vpcs = append(st.vpcs, vpc)
	st.subnets = append(st.subnets, subnets...)
	st.groups = append(st.groups, sg)
	return st, nil
}

func materialized(tx store.ReadTx, sc Scope) (bool, error) {
	_, err := tx.Get(Meta, sc.prefix()+"defaults")
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// materialize writes the scope's defaults into the store, once.
func materialize(tx store.Tx, sc Scope) error {
	done, err := materialized(tx, sc)
	if err != nil || done {
		return err
	}
	vpc, subnets, sg := defaults(sc)
	if err := store.Put(tx, Vpcs, sc.prefix()+vpc.ID, vpc); err != nil {
		return err
	}
	for _, sn := range subnets {
		if err := store.Put(tx, Subnets, sc.prefix()+sn.ID, sn); err != nil {
			return err
		}
	}
	if err := store.Put(tx, Groups, sc.prefix()+sg.ID, sg); err != nil {
		return err
	}
	return tx.Put(Meta, sc.prefix()+"defaults", []byte("{}"))
}

// view runs fn on the scope's state.
func (s *Service) view(ctx context.Context, sc Scope, fn func(tx store.ReadTx, st *state) error) error {
	return s.st.View(ctx, func(tx store.ReadTx) error {
		st, err := load(tx, sc)
		if err != nil {
			return err
		}
		return fn(tx, st)
	})
}

// update materializes the defaults and runs fn on the scope's state; fn
// writes through the put and delete helpers.
func (s *Service) update(ctx context.Context, sc Scope, fn func(tx store.Tx, st *state) error) error {
	return s.st.Update(ctx, func(tx store.Tx) error {
		if err := materialize(tx, sc); err != nil {
			return err
		}
		st, err := load(tx, sc)
		if err != nil {
			return err
		}
		return fn(tx, st)
	})
}

func (st *state) vpc(id string) (*Vpc, bool) {
	for i := range st.vpcs {
		if st.vpcs[i].ID == id {
			return &st.vpcs[i], true
		}
	}
	return nil, false
}

func (st *state) defaultVpc() (*Vpc, bool) {
	for i := range st.vpcs {
		if st.vpcs[i].IsDefault {
			return &st.vpcs[i], true
		}
	}
	return nil, false
}

func (st *state) subnet(id string) (*Subnet, bool) {
	for i := range st.subnets {
		if st.subnets[i].ID == id {
			return &st.subnets[i], true
		}
	}
	return nil, false
}

func (st *state) group(id string) (*SecurityGroup, bool) {
	for i := range st.groups {
		if st.groups[i].ID == id {
			return &st.groups[i], true
		}
	}
	return nil, false
}

// groupByName finds a group by name in a VPC.
func (st *state) groupByName(vpcID, name string) (*SecurityGroup, bool) {
	for i := range st.groups {
		if st.groups[i].VpcID == vpcID && st.groups[i].Name == name {
			return &st.groups[i], true
		}
	}
	return nil, false
}

func putVpc(tx store.Tx, sc Scope, v Vpc) error { return store.Put(tx, Vpcs, sc.prefix()+v.ID, v) }
func putSubnet(tx store.Tx, sc Scope, sn Subnet) error {
	return store.Put(tx, Subnets, sc.prefix()+sn.ID, sn)
}
func putGroup(tx store.Tx, sc Scope, g SecurityGroup) error {
	return store.Put(tx, Groups, sc.prefix()+g.ID, g)
}
