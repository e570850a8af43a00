package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand"
	"sort"

	"google.golang.org/protobuf/proto"

	"github.com/peat-protocol/libpeat/core"
	"github.com/peat-protocol/libpeat/core/codec"
	nodev1 "github.com/peat-protocol/libpeat/core/pb/cap/node/v1"
	crdtv1 "github.com/peat-protocol/libpeat/core/pb/peat/crdt/v1"
	directivev1 "github.com/peat-protocol/libpeat/core/pb/peat/directive/v1"
	validationv1 "github.com/peat-protocol/libpeat/core/pb/peat/validation/v1"

	demov1 "github.com/peat-protocol/libpeat/examples/demo/pb/peat/demo/v1"
)

// Outcome is what the Go reference run of the plan produces; every language
// must reach the same digest and the same rollout decision.
type Outcome struct {
	*demov1.Outcome
	Summary *directivev1.RolloutSummary
}

// replica is one node's copy of every document.
type replica map[string][]byte

// Play runs the plan with every replica in this process, exchanging deltas in
// a shuffled order with duplicates, exactly as the language players do.
func Play(p *demov1.Plan, log func(string)) (*Outcome, error) {
	replicas := map[string]replica{}
	docType := map[string]string{}
	for _, d := range p.Docs {
		docType[d.Key] = d.Type
	}
	for _, n := range p.Nodes {
		r := replica{}
		for _, d := range p.Docs {
			init, err := proto.Marshal(d.Init)
			if err != nil {
				return nil, err
			}
			doc, err := core.DocNew(d.Type, init)
			if err != nil {
				return nil, fmt.Errorf("doc_new %s: %w", d.Key, err)
			}
			r[d.Key] = doc
		}
		replicas[n.Id] = r
	}
	rng := rand.New(rand.NewSource(p.Seed))
	for _, round := range p.Rounds {
		type delta struct {
			doc   string
			bytes []byte
		}
		var deltas []delta
		for _, s := range round.Steps {
			opBin, err := proto.Marshal(s.Op)
			if err != nil {
				return nil, err
			}
			out, err := core.DocApply(docType[s.Doc], replicas[s.By][s.Doc], opBin)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.Say, err)
			}
			var res crdtv1.ApplyResult
			if err := proto.Unmarshal(out, &res); err != nil {
				return nil, err
			}
			replicas[s.By][s.Doc] = res.Doc
			deltas = append(deltas, delta{s.Doc, res.Delta})
			log(fmt.Sprintf("[go %s] %s (delta %d bytes)", s.By, s.Say, len(res.Delta)))
		}
		// Every replica receives every delta, shuffled, some twice.
		for _, n := range p.Nodes {
			order := rng.Perm(len(deltas))
			for _, i := range order {
				times := 1 + rng.Intn(2)
				for k := 0; k < times; k++ {
					d := deltas[i]
					if err := checkValid(docType[d.doc], d.bytes); err != nil {
						return nil, fmt.Errorf("replica %s refused a delta: %w", n.Id, err)
					}
					merged, err := core.DocMerge(docType[d.doc], replicas[n.Id][d.doc], d.bytes)
					if err != nil {
						return nil, err
					}
					replicas[n.Id][d.doc] = merged
				}
			}
		}
	}
	// Every replica must materialise identical bytes.
	digests := map[string]string{}
	for _, n := range p.Nodes {
		h := sha256.New()
		for _, d := range p.Docs {
			m, err := core.DocMaterialize(d.Type, codec.Binary, replicas[n.Id][d.Key])
			if err != nil {
				return nil, err
			}
			h.Write(m)
		}
		digests[n.Id] = hex.EncodeToString(h.Sum(nil))
	}
	out := &Outcome{Outcome: &demov1.Outcome{Digest: digests[p.Nodes[0].Id]}}
	for id, d := range digests {
		if d != out.Digest {
			return nil, fmt.Errorf("replica %s diverged: %s != %s", id, d, out.Digest)
		}
	}
	cellBytes, err := core.DocMaterialize("peat.crdt.v1.CellDoc", codec.Binary, replicas[p.Nodes[0].Id]["cell"])
	if err != nil {
		return nil, err
	}
	cell, err := codec.Decode("cap.cell.v1.CellState", codec.Binary, cellBytes)
	if err != nil {
		return nil, err
	}
	cs := cell.ProtoReflect().Interface().(interface {
		GetLeaderId() string
		GetMembers() []string
	})
	out.Leader, out.Members = cs.GetLeaderId(), cs.GetMembers()
	out.Fuel = map[string]uint32{}
	for _, n := range p.Nodes {
		b, err := core.DocMaterialize("peat.crdt.v1.NodeDoc", codec.Binary, replicas[p.Nodes[0].Id]["node/"+n.Id])
		if err != nil {
			return nil, err
		}
		var node nodev1.Node
		if err := proto.Unmarshal(b, &node); err != nil {
			return nil, err
		}
		out.Fuel[n.Id] = node.GetState().GetFuelMinutes()
	}
	report, err := core.Validate("cap.cell.v1.CellState", codec.Binary, cellBytes, nil)
	if err != nil {
		return nil, err
	}
	if err := reportError(report); err != nil {
		return nil, fmt.Errorf("converged cell state is invalid: %w", err)
	}

	// Deployment.
	directiveBin, err := core.Convert("peat.directive.v1.DeploymentDirective", codec.RustJSON, codec.Binary, []byte(p.DirectiveRustJson))
	if err != nil {
		return nil, fmt.Errorf("directive: %w", err)
	}
	var directive directivev1.DeploymentDirective
	if err := proto.Unmarshal(directiveBin, &directive); err != nil {
		return nil, err
	}
	var statuses []*directivev1.DeploymentStatus
	for _, n := range p.Nodes {
		req, _ := proto.Marshal(&directivev1.TargetRequest{Directive: &directive, NodeConfig: n.Config, Resources: n.Resources})
		decBin, err := core.DirectiveTarget(req)
		if err != nil {
			return nil, err
		}
		var dec directivev1.TargetDecision
		if err := proto.Unmarshal(decBin, &dec); err != nil {
			return nil, err
		}
		if !dec.Targeted {
			log(fmt.Sprintf("[go %s] not targeted: %s", n.Id, dec.Reason))
			continue
		}
		out.Targeted = append(out.Targeted, n.Id)
		st := &directivev1.DeploymentStatus{DirectiveId: directive.DirectiveId, NodeId: n.Id,
			State: directivev1.DeploymentState_DEPLOYMENT_STATE_PENDING, ReportedAt: p.PendingAt}
		for _, t := range p.Reports[n.Id].GetTransitions() {
			req, _ := proto.Marshal(&directivev1.AdvanceRequest{Current: st, Transition: t})
			next, err := core.DirectiveAdvance(req)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", n.Id, err)
			}
			st = &directivev1.DeploymentStatus{}
			if err := proto.Unmarshal(next, st); err != nil {
				return nil, err
			}
		}
		statuses = append(statuses, st)
	}
	sort.Strings(out.Targeted)
	req, _ := proto.Marshal(&directivev1.SummarizeRequest{Directive: &directive, TargetedNodeIds: out.Targeted,
		Statuses: statuses, Now: p.Now})
	sumBin, err := core.DirectiveSummarize(req)
	if err != nil {
		return nil, err
	}
	out.Summary = &directivev1.RolloutSummary{}
	if err := proto.Unmarshal(sumBin, out.Summary); err != nil {
		return nil, err
	}
	out.Decision = out.Summary.Decision.String()
	return out, nil
}

func checkValid(typ string, b []byte) error {
	report, err := core.Validate(typ, codec.Binary, b, nil)
	if err != nil {
		return err
	}
	return reportError(report)
}

func reportError(report []byte) error {
	var r validationv1.ValidationReport
	if err := proto.Unmarshal(report, &r); err != nil {
		return err
	}
	if r.Valid {
		return nil
	}
	return fmt.Errorf("%d violations, first %s at %s: %s", len(r.Violations), r.Violations[0].Code,
		r.Violations[0].Path, r.Violations[0].Message)
}
