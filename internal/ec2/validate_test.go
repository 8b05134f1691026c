package ec2

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/store"
	"github.com/quayside/quayside/internal/store/boltstore"
)

var ctx = context.Background()

func newStore(t *testing.T) store.Store {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestValidate(t *testing.T) {
	st := newStore(t)
	svc := New(st, Options{})
	sc := Scope{Region: "eu-west-1", Account: "000000000000"}
	_, subnets, def := defaults(sc)
	validate := func(subnetIDs, groups []string) (map[string]string, error) {
		var az map[string]string
		err := st.View(ctx, func(tx store.ReadTx) error {
			var err error
			az, err = Validate(tx, sc.Region, sc.Account, subnetIDs, groups)
			return err
		})
		return az, err
	}

	// Before anything is written, the defaults are there.
	az, err := validate([]string{subnets[1].ID, LocalSubnet}, []string{def.ID})
	if err != nil || az[subnets[1].ID] != "eu-west-1b" || az[LocalSubnet] != "eu-west-1a" {
		t.Fatalf("defaults: %v %v", az, err)
	}

	other, err := svc.CreateVpc(ctx, sc, "10.0.0.0/16", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := svc.CreateSecurityGroup(ctx, sc, "web", "web", other.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name            string
		subnets, groups []string
		message         string
	}{
		{"unknown subnet", []string{subnets[0].ID, "subnet-x"}, nil,
			"Error retrieving subnet information for [" + subnets[0].ID + ", subnet-x]: The subnet ID 'subnet-x' does not exist (ErrorCode: InvalidSubnetID.NotFound)"},
		{"unknown group", []string{subnets[0].ID}, []string{"sg-x"},
			"Error retrieving security group information for [sg-x]: The security group 'sg-x' does not exist (ErrorCode: InvalidGroup.NotFound)"},
		{"group of another VPC", []string{subnets[0].ID}, []string{g.ID},
			"Security group " + g.ID + " does not appear to belong to the same VPC as the input subnets."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := validate(c.subnets, c.groups)
			if !errors.Is(err, ecs.ErrInvalidParameter) {
				t.Fatalf("err = %v, want an ECS InvalidParameterException", err)
			}
			if msg, _ := fault.Message(err); msg != c.message {
				t.Fatalf("message = %q\nwant      %q", msg, c.message)
			}
		})
	}
}

func TestZoneIDs(t *testing.T) {
	cases := map[string]string{
		"us-east-1": "use1", "us-west-2": "usw2", "eu-central-1": "euc1", "ap-southeast-2": "apse2",
		"ap-northeast-1": "apne1", "sa-east-1": "sae1", "us-gov-west-1": "usgw1", "ca-central-1": "cac1",
	}
	for region, want := range cases {
		if got := zoneIDPrefix(region); got != want {
			t.Errorf("zoneIDPrefix(%s) = %s, want %s", region, got, want)
		}
	}
}

func TestAvailableAddresses(t *testing.T) {
	if got := AvailableAddresses("172.31.0.0/20", 2); got != 4089 {
		t.Errorf("/20 with 2 used = %d", got)
	}
	if got := AvailableAddresses("10.0.0.0/28", 0); got != 11 {
		t.Errorf("/28 = %d", got)
	}
}
