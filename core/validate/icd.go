package validate

import (
	"regexp"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	beaconv1 "github.com/peat-protocol/libpeat/core/pb/cap/beacon/v1"
	capabilityv1 "github.com/peat-protocol/libpeat/core/pb/cap/capability/v1"
	cellv1 "github.com/peat-protocol/libpeat/core/pb/cap/cell/v1"
	commonv1 "github.com/peat-protocol/libpeat/core/pb/cap/common/v1"
	compositionv1 "github.com/peat-protocol/libpeat/core/pb/cap/composition/v1"
	zonev1 "github.com/peat-protocol/libpeat/core/pb/cap/zone/v1"
)

// MaxCapabilitiesPerNode is the ICD §3.3 bound on a node's capabilities.
const MaxCapabilitiesPerNode = 100

// icdFields is the field policy table of the eight ICD packages. Fields not
// listed get the generic rules only (plus ICD §6.1.1: id, name and
// platform_type must not be empty, wherever they appear).
var icdFields = map[protoreflect.FullName]FieldPolicy{
	// cap.common.v1
	"cap.common.v1.Uuid.value":         {Required: true, Kind: KindID},
	"cap.common.v1.Position.latitude":  {Range: &Range{Min: -90, Max: 90, Code: InvalidPosition}},
	"cap.common.v1.Position.longitude": {Range: &Range{Min: -180, Max: 180, Code: InvalidPosition}},
	"cap.common.v1.Confidence.value":   {Range: unit(InvalidConfidence)},

	// cap.capability.v1
	"cap.capability.v1.Capability.confidence":                 {Range: unit(InvalidConfidence)},
	"cap.capability.v1.CapabilityQuery.min_confidence":        {Range: unit(InvalidConfidence)},
	"cap.capability.v1.CapabilityAdvertisement.platform_id":   {Required: true},
	"cap.capability.v1.CapabilityAdvertisement.advertised_at": {Required: true},
	"cap.capability.v1.CapabilityAdvertisement.capabilities":  {MaxItems: MaxCapabilitiesPerNode, UniqueBy: "id"},
	"cap.capability.v1.ResourceStatus.compute_utilization":    {Range: unit(InvalidNumber)},
	"cap.capability.v1.ResourceStatus.memory_utilization":     {Range: unit(InvalidNumber)},
	"cap.capability.v1.ResourceStatus.power_level":            {Range: unit(InvalidNumber)},
	"cap.capability.v1.ResourceStatus.storage_utilization":    {Range: unit(InvalidNumber)},
	"cap.capability.v1.ResourceStatus.bandwidth_utilization":  {Range: unit(InvalidNumber)},

	// cap.node.v1
	"cap.node.v1.Operator.rank":                 {AllowUnspecified: true}, // civilian operators have no rank
	"cap.node.v1.HumanMachinePair.operators":    {Required: true, UniqueBy: "id"},
	"cap.node.v1.HumanMachinePair.platform_ids": {Required: true, UniqueBy: ".", Kind: KindID},
	"cap.node.v1.NodeConfig.capabilities":       {MaxItems: MaxCapabilitiesPerNode, UniqueBy: "id"},
	"cap.node.v1.NodeConfig.comm_range_m":       {Range: atLeast(0, InvalidNumber)},
	"cap.node.v1.NodeConfig.max_speed_mps":      {Range: atLeast(0, InvalidNumber)},
	"cap.node.v1.NodeState.timestamp":           {Required: true},
	"cap.node.v1.Node.config":                   {Required: true},
	"cap.node.v1.Node.state":                    {Required: true},

	// cap.cell.v1
	"cap.cell.v1.CellConfig.min_size":               {Range: atLeast(2, InvalidNumber)},
	"cap.cell.v1.CellState.members":                 {UniqueBy: ".", Kind: KindID},
	"cap.cell.v1.CellState.capabilities":            {UniqueBy: "id"},
	"cap.cell.v1.CellState.timestamp":               {Required: true},
	"cap.cell.v1.Cell.config":                       {Required: true},
	"cap.cell.v1.Cell.state":                        {Required: true},
	"cap.cell.v1.CellFormationRequest.node_id":      {Required: true},
	"cap.cell.v1.CellFormationRequest.requested_at": {Required: true},
	"cap.cell.v1.CellMembershipChange.cell_id":      {Required: true},
	"cap.cell.v1.CellMembershipChange.node_id":      {Required: true},
	"cap.cell.v1.CellMembershipChange.timestamp":    {Required: true},

	// cap.zone.v1
	"cap.zone.v1.ZoneConfig.max_cells":              {Range: atLeast(1, InvalidNumber)},
	"cap.zone.v1.ZoneState.cells":                   {UniqueBy: ".", Kind: KindID},
	"cap.zone.v1.ZoneState.aggregated_capabilities": {UniqueBy: "id"},
	"cap.zone.v1.ZoneState.timestamp":               {Required: true},
	"cap.zone.v1.Zone.config":                       {Required: true},
	"cap.zone.v1.Zone.state":                        {Required: true},
	"cap.zone.v1.ZoneStats.zone_id":                 {Required: true},
	"cap.zone.v1.ZoneStats.calculated_at":           {Required: true},
	"cap.zone.v1.ZoneFormationRequest.cell_id":      {Required: true},
	"cap.zone.v1.ZoneFormationRequest.requested_at": {Required: true},
	"cap.zone.v1.ZoneMembershipChange.zone_id":      {Required: true},
	"cap.zone.v1.ZoneMembershipChange.cell_id":      {Required: true},
	"cap.zone.v1.ZoneMembershipChange.timestamp":    {Required: true},

	// cap.role.v1
	"cap.role.v1.RoleAssignment.node_id":                  {Required: true},
	"cap.role.v1.RoleAssignment.fitness_score":            {Range: unit(InvalidNumber)},
	"cap.role.v1.RoleAssignment.assigned_at":              {Required: true},
	"cap.role.v1.RoleScoringFactors.capability_score":     {Range: unit(InvalidNumber)},
	"cap.role.v1.RoleScoringFactors.mos_score":            {Range: unit(InvalidNumber)},
	"cap.role.v1.RoleScoringFactors.health_score":         {Range: unit(InvalidNumber)},
	"cap.role.v1.RoleScoringFactors.endurance_score":      {Range: unit(InvalidNumber)},
	"cap.role.v1.RoleScoringFactors.position_score":       {Range: unit(InvalidNumber)},
	"cap.role.v1.RoleScoringFactors.overall_score":        {Range: unit(InvalidNumber)},
	"cap.role.v1.RoleAssignmentRequest.cell_id":           {Required: true},
	"cap.role.v1.RoleAssignmentRequest.node_ids":          {Required: true, UniqueBy: "."},
	"cap.role.v1.RoleAssignmentRequest.requested_at":      {Required: true},
	"cap.role.v1.RoleAssignmentResponse.cell_id":          {Required: true},
	"cap.role.v1.RoleAssignmentResponse.assignments":      {UniqueBy: "node_id"},
	"cap.role.v1.RoleAssignmentResponse.unassigned_nodes": {UniqueBy: ".", Kind: KindID},
	"cap.role.v1.RoleChangeEvent.cell_id":                 {Required: true},
	"cap.role.v1.RoleChangeEvent.node_id":                 {Required: true},
	"cap.role.v1.RoleChangeEvent.previous_role":           {AllowUnspecified: true}, // a first assignment has no previous role
	"cap.role.v1.RoleChangeEvent.changed_at":              {Required: true},

	// cap.beacon.v1
	"cap.beacon.v1.Beacon.node_id":                 {Required: true},
	"cap.beacon.v1.Beacon.capabilities":            {MaxItems: MaxCapabilitiesPerNode, UniqueBy: "id"},
	"cap.beacon.v1.Beacon.timestamp":               {Required: true},
	"cap.beacon.v1.BeaconQuery.max_distance_m":     {Range: atLeast(0, InvalidNumber)},
	"cap.beacon.v1.BeaconQueryResponse.queried_at": {Required: true},
	"cap.beacon.v1.BeaconRecord.beacon":            {Required: true},
	"cap.beacon.v1.BeaconRecord.first_seen":        {Required: true},
	"cap.beacon.v1.BeaconRecord.last_seen":         {Required: true},

	// cap.composition.v1
	"cap.composition.v1.CompositionRule.min_inputs":               {Range: atLeast(1, InvalidNumber)},
	"cap.composition.v1.CompositionResult.cell_id":                {Required: true},
	"cap.composition.v1.CompositionResult.applied_rules":          {UniqueBy: "id"},
	"cap.composition.v1.CompositionResult.composition_confidence": {Range: unit(InvalidConfidence)},
	"cap.composition.v1.CompositionResult.composed_at":            {Required: true},
	"cap.composition.v1.ApplyCompositionRequest.cell_id":          {Required: true},
	"cap.composition.v1.ApplyCompositionRequest.rule_ids":         {UniqueBy: "."},
}

func init() {
	for name, p := range icdFields {
		RegisterField(name, p)
	}
	RegisterRules("cap.common.v1.Uuid", checkUUID)
	RegisterRules("cap.cell.v1.CellConfig", checkCellConfig)
	RegisterRules("cap.cell.v1.CellState", checkCellState)
	RegisterRules("cap.cell.v1.Cell", checkCell)
	RegisterRules("cap.zone.v1.ZoneConfig", checkZoneConfig)
	RegisterRules("cap.zone.v1.ZoneState", checkZoneState)
	RegisterRules("cap.zone.v1.Zone", checkZone)
	RegisterRules("cap.composition.v1.CompositionRule", checkCompositionRule)
	RegisterRules("cap.capability.v1.CapabilityResponse", checkCapabilityResponse)
	RegisterRules("cap.beacon.v1.BeaconQueryResponse", checkBeaconQueryResponse)
	RegisterRules("cap.beacon.v1.BeaconRecord", checkBeaconRecord)
}

// uuidV4 is the RFC 4122 textual form with version nibble 4 and variant
// 10xx (8, 9, a or b); hex digits in either case.
var uuidV4 = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`)

func checkUUID(msg proto.Message, r *Reporter) {
	u := msg.(*commonv1.Uuid)
	if u.Value != "" && len(u.Value) <= KindID.MaxLen() && !uuidV4.MatchString(u.Value) {
		r.Add(InvalidUUID, "value", "%q is not an RFC 4122 version 4 UUID (xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx)", clip(u.Value))
	}
}

func checkCellConfig(msg proto.Message, r *Reporter) {
	c := msg.(*cellv1.CellConfig)
	if c.MinSize > c.MaxSize {
		r.Add(InvalidRange, "min_size", "min_size %d is greater than max_size %d", c.MinSize, c.MaxSize)
	}
}

// checkCellState applies ICD §6.2 as written: with a config, max_size is
// the limit (0 included) and min_size the minimum, each checked on its own
// (also when the config's own range is broken, which is INVALID_RANGE on
// the config); without a config there is no size rule. A leader that is
// present, even "", must be a member.
func checkCellState(msg proto.Message, r *Reporter) {
	s := msg.(*cellv1.CellState)
	if s.Config != nil {
		cellSizes(r, "members", len(s.Members), s.Config, "config")
	}
	if s.LeaderId != nil && !contains(s.Members, *s.LeaderId) {
		r.Add(InvalidLeader, "leader_id", "leader %q is not among the members", clip(*s.LeaderId))
	}
}

// cellSizes reports the ICD §6.2 size rules of n members (at path at)
// against c, the config found at cfg.
func cellSizes(r *Reporter, at string, n int, c *cellv1.CellConfig, cfg string) {
	if uint64(n) > uint64(c.MaxSize) {
		r.Add(CellFull, at, "%d members, more than %s.max_size %d", n, cfg, c.MaxSize)
	}
	if uint64(n) < uint64(c.MinSize) {
		r.Add(CellInvalid, at, "%d members, fewer than %s.min_size %d", n, cfg, c.MinSize)
	}
}

// checkCell: config and state must be of one cell. A state without its own
// config is measured against the cell's config.
func checkCell(msg proto.Message, r *Reporter) {
	c := msg.(*cellv1.Cell)
	if c.Config != nil && c.State.GetConfig() != nil && c.Config.Id != c.State.Config.Id {
		r.Add(CellInvalid, "state.config.id", "state is of cell %q but config is of cell %q",
			clip(c.State.Config.Id), clip(c.Config.Id))
	}
	if c.Config != nil && c.State != nil && c.State.Config == nil {
		cellSizes(r, "state.members", len(c.State.Members), c.Config, "config")
	}
}

func checkZoneConfig(msg proto.Message, r *Reporter) {
	c := msg.(*zonev1.ZoneConfig)
	if c.MinCells > c.MaxCells {
		r.Add(InvalidRange, "min_cells", "min_cells %d is greater than max_cells %d", c.MinCells, c.MaxCells)
	}
}

// checkZoneState: the cell rules for zones (max_cells is the limit, 0
// included; no size rule without a config).
func checkZoneState(msg proto.Message, r *Reporter) {
	s := msg.(*zonev1.ZoneState)
	if s.Config != nil {
		zoneSizes(r, "cells", len(s.Cells), s.Config, "config")
	}
}

func zoneSizes(r *Reporter, at string, n int, c *zonev1.ZoneConfig, cfg string) {
	if uint64(n) > uint64(c.MaxCells) {
		r.Add(ZoneFull, at, "%d cells, more than %s.max_cells %d", n, cfg, c.MaxCells)
	}
	if uint64(n) < uint64(c.MinCells) {
		r.Add(ZoneInvalid, at, "%d cells, fewer than %s.min_cells %d", n, cfg, c.MinCells)
	}
}

func checkZone(msg proto.Message, r *Reporter) {
	z := msg.(*zonev1.Zone)
	if z.Config != nil && z.State.GetConfig() != nil && z.Config.Id != z.State.Config.Id {
		r.Add(ZoneInvalid, "state.config.id", "state is of zone %q but config is of zone %q",
			clip(z.State.Config.Id), clip(z.Config.Id))
	}
	if z.Config != nil && z.State != nil && z.State.Config == nil {
		zoneSizes(r, "state.cells", len(z.State.Cells), z.Config, "config")
	}
}

func checkCompositionRule(msg proto.Message, r *Reporter) {
	c := msg.(*compositionv1.CompositionRule)
	if c.MaxInputs != nil && *c.MaxInputs < c.MinInputs {
		r.Add(InvalidRange, "max_inputs", "max_inputs %d is less than min_inputs %d", *c.MaxInputs, c.MinInputs)
	}
}

func checkCapabilityResponse(msg proto.Message, r *Reporter) {
	c := msg.(*capabilityv1.CapabilityResponse)
	totalCount(r, c.TotalCount, len(c.Capabilities), "capabilities")
}

func checkBeaconQueryResponse(msg proto.Message, r *Reporter) {
	b := msg.(*beaconv1.BeaconQueryResponse)
	totalCount(r, b.TotalCount, len(b.Beacons), "beacons")
}

func checkBeaconRecord(msg proto.Message, r *Reporter) {
	b := msg.(*beaconv1.BeaconRecord)
	if b.FirstSeen != nil && b.LastSeen != nil && before(b.LastSeen, b.FirstSeen) {
		r.Add(InvalidTime, "last_seen", "last_seen is before first_seen")
	}
}

// totalCount: a total may exceed the items returned (paging) but not be below it.
func totalCount(r *Reporter, total uint32, n int, items string) {
	if uint64(total) < uint64(n) {
		r.Add(InvalidNumber, "total_count", "total_count %d is less than the %d %s returned", total, n, items)
	}
}

func before(a, b *commonv1.Timestamp) bool {
	return a.Seconds < b.Seconds || (a.Seconds == b.Seconds && a.Nanos < b.Nanos)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
