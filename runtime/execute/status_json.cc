#include "runtime/execute/status_json.h"

namespace bgplan::runtime {

namespace {

// A schema or cluster pair: {kind, blue {name, exists, id}, green {name, exists, id, objects},
// blue_code}. blue_code says what blue holds once a run recorded the pair: "new" (the code
// promoted from green) or "original"; null before.
EventValue PairJson(const char* kind, const resolve::ContainerFacts& blue,
                    const resolve::ContainerFacts& green, size_t green_objects,
                    const resolve::RecordedObject* rec) {
  auto side = [](const resolve::ContainerFacts& c) {
    return EventValue{{"name", c.name},
                      {"exists", c.exists},
                      {"id", c.exists ? EventValue(c.id) : EventValue(nullptr)}};
  };
  EventValue j = {{"kind", kind}, {"blue", side(blue)}, {"green", side(green)}};
  j["green"]["objects"] = green.exists ? EventValue(green_objects) : EventValue(nullptr);
  j["blue_code"] = rec != nullptr && blue.exists
                       ? EventValue(blue.id == rec->green_id ? "new" : "original")
                       : EventValue(nullptr);
  return j;
}

}  // namespace

EventFields StatusFields(const StatusFacts& s) {
  const resolve::DeploymentFacts& f = *s.facts;
  EventFields fields = {{"state", s.state}, {"phase", s.phase}, {"server", s.server}};
  fields["run"] = nullptr;
  if (s.run != nullptr) {
    fields["run"] = {{"id", s.run->id},
                     {"phase", s.run->phase},
                     {"status", s.run->status},
                     {"actor", s.run->actor},
                     {"host", s.run->host},
                     {"started_at", s.run->started_at},
                     {"promoted_at", s.run->promoted_at.empty() ? EventValue(nullptr)
                                                                : EventValue(s.run->promoted_at)},
                     {"fingerprint", s.run->fingerprint.empty() ? EventValue(nullptr)
                                                                : EventValue(s.run->fingerprint)}};
  }
  EventValue objects = EventValue::array();
  for (const resolve::PairFacts& p : f.schemas) {
    objects.push_back(
        PairJson("schema", p.blue, p.green, p.green.objects.size(),
                 f.run ? f.run->Find(plans::ObjectKind::kSchema, p.pair->blue) : nullptr));
  }
  for (const resolve::ClusterPairFacts& c : f.clusters) {
    objects.push_back(
        PairJson("cluster", c.blue, c.green, c.green.objects.size(),
                 f.run ? f.run->Find(plans::ObjectKind::kCluster, c.pair->blue) : nullptr));
  }
  fields["objects"] = std::move(objects);
  fields["readiness"] = nullptr;
  if (s.readiness.has_value()) {
    bool all = true;
    EventValue each = EventValue::array();
    for (const Readiness& r : *s.readiness) {
      all = all && (r.state == "ready" || r.state == "skipped");
      each.push_back(ReadinessJson(r));
    }
    fields["readiness"] = {{"ready", all}, {"objects", std::move(each)}};
  }
  EventValue sinks = EventValue::array();
  for (const resolve::SinkFacts& k : f.sinks) {
    EventValue reads = EventValue::array();
    for (const resolve::CatalogObject& r : k.reads) {
      reads.push_back(r.QualifiedName());
    }
    sinks.push_back({{"kind", k.object.kind}, {"name", k.object.QualifiedName()}, {"reads", reads}});
  }
  fields["sinks"] = std::move(sinks);
  fields["cutover"] = nullptr;
  fields["cutover_pending"] = EventValue::array();
  if (f.state == resolve::DeployState::kPromoted) {
    for (const resolve::SinkFacts* k : resolve::SinksReadingGreen(f)) {
      fields["cutover_pending"].push_back(k->object.Describe());
    }
    fields["cutover"] = fields["cutover_pending"].empty() ? "done" : "unfinished";
  }
  EventValue dependents = EventValue::array();
  for (const resolve::Dependent& o : f.blue_dependents) {
    dependents.push_back(o.description);
  }
  fields["dependents"] = std::move(dependents);
  EventValue history = EventValue::array();
  for (const JournalEvent& e : s.history) {
    history.push_back({{"at", e.at},
                       {"run", e.run_id},
                       {"phase", e.phase},
                       {"event", e.type},
                       {"message", e.message}});
  }
  fields["history"] = std::move(history);
  return fields;
}

}  // namespace bgplan::runtime
