#include "resolve/fingerprint.h"

#include "plans/fingerprint.h"

namespace bgplan::resolve {

namespace {

// Length-prefixed fields, so that no value can pass for two.
class Facts {
 public:
  Facts& operator<<(const std::string& field) {
    text_ += std::to_string(field.size()) + ":" + field + "|";
    return *this;
  }
  Facts& operator<<(bool b) { return *this << std::string(b ? "1" : "0"); }
  Facts& operator<<(int64_t n) { return *this << std::to_string(n); }
  void End() { text_ += "\n"; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

void Container(Facts& f, const char* what, const ContainerFacts& c, bool grants) {
  f << what << c.name << c.exists << c.id << c.owner << c.owned << c.comment;
  if (grants) {
    for (const Grant& g : c.grants) {
      f << g.grantee << g.privilege << g.grantable;
    }
  }
  f.End();
}

void Objects(Facts& f, const std::vector<CatalogObject>& objects) {
  for (const CatalogObject& o : objects) {
    f << "object" << o.id << o.kind << o.database << o.schema << o.name << o.owner;
    for (const CatalogColumn& c : o.columns) {
      f << c.name << c.type;
    }
    f.End();
  }
}

void Dependents(Facts& f, const char* what, const std::vector<Dependent>& deps) {
  for (const Dependent& d : deps) {
    f << what << d.object.id << d.description;
    for (const std::string& r : d.references) {
      f << r;
    }
    f.End();
  }
}

}  // namespace

std::string Fingerprint(const Snapshot& snap, plans::PhaseKind phase) {
  const bool init = phase == plans::PhaseKind::kInit;
  const bool swap = phase == plans::PhaseKind::kPromote || phase == plans::PhaseKind::kRollback;
  const bool cleanup = phase == plans::PhaseKind::kCleanup;
  const ServerFacts& s = snap.server;
  Facts f;
  f << "phase" << std::string(plans::PhaseName(phase)) << s.is_materialize << s.user
    << s.database << s.superuser;
  f.End();
  if (init) {
    f << "privileges" << s.can_create_in_database << s.createcluster;
    for (const std::string& role : s.member_of) {
      f << role;
    }
    f.End();
  }
  for (const DeploymentFacts& d : snap.deployments) {
    f << "deployment" << d.deployment->name << std::string(DeployStateName(d.state))
      << (d.run ? d.run->id : std::string("-")) << (d.run ? d.run->phase : std::string("-"))
      << d.stale_run_id.value_or("-");
    f.End();
    if (cleanup && d.run) {
      f << "promoted_at" << d.run->promoted_at;
      f.End();
    }
    for (const PairFacts& p : d.schemas) {
      if (init || swap) {
        Container(f, "blue schema", p.blue, init);
      }
      Container(f, "green schema", p.green, init);
      if (init) {
        for (const SchemaFacts* side : {&p.blue, &p.green}) {
          for (const DefaultPrivilege& a : side->default_privileges) {
            f << "default" << side->name << a.role << a.object_type << a.grantee << a.privilege
              << a.grantable;
            f.End();
          }
        }
      }
      if (init || swap) {
        f << "swap-name-taken" << p.swap_name_taken;
        f.End();
        // What the swap moves (and green-not-empty counts).
        Objects(f, p.blue.objects);
        Objects(f, p.green.objects);
      }
    }
    for (const ClusterPairFacts& c : d.clusters) {
      if (init || swap) {
        Container(f, "blue cluster", c.blue, init);
      }
      Container(f, "green cluster", c.green, init);
      if (swap && !init) {
        // What promote's end-hydration-burst step gives green back: blue's strategy.
        for (const ClusterFacts* side : {&c.blue, &c.green}) {
          f << side->auto_scaling_size << side->auto_scaling_linger_secs;
          f.End();
        }
      }
      if (init) {
        for (const ClusterFacts* side : {&c.blue, &c.green}) {
          f << side->managed << side->size
            << (side->replication_factor ? std::to_string(*side->replication_factor) : "")
            << side->schedule << side->hydration_time_estimate << side->auto_scaling_size
            << side->auto_scaling_linger_secs << static_cast<int64_t>(side->objects.size())
            << side->introspection_debugging << side->introspection_interval
            << side->reconfiguring_to;
          for (const auto& o : side->create_options) {
            f << o.key << o.value;
          }
          for (const auto& r : side->replicas) {
            f << r.name << r.size << r.availability_zone.value_or("");
          }
          for (const std::string& u : side->unsized) {
            f << u;
          }
          f.End();
        }
      }
    }
    if (init) {
      for (const CatalogObject& k : d.sinks_inside) {
        f << "sink-inside" << k.id << k.Describe() << k.cluster;
        f.End();
      }
    }
    if (swap) {
      for (const SinkFacts& k : d.sinks) {
        f << "sink" << k.object.id << k.object.Describe() << k.definition;
        for (const std::string& o : k.options) {
          f << o;
        }
        for (const CatalogObject& r : k.reads) {
          f << r.database << r.schema << r.name;
        }
        f.End();
      }
      Dependents(f, "blue-dependent", d.blue_dependents);
    }
    if (cleanup) {
      Dependents(f, "green-dependent", d.green_dependents);
    }
  }
  return plans::Sha256Hex(f.text());
}

}  // namespace bgplan::resolve
