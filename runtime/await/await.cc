#include "runtime/await/await.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "runtime/interrupt.h"
#include "sql/quote.h"
#include "sql/statements.h"
#include "support/strings.h"
#include "support/terminal_text.h"

namespace bgplan::runtime {

namespace {

std::string InList(const std::vector<std::string>& names) {
  std::string in;
  for (const std::string& n : names) {
    in += (in.empty() ? "" : ", ") + sql::QuoteLiteral(n);
  }
  return in.empty() ? "NULL" : in;
}

}  // namespace

// A lag in seconds as the catalog gives it ("30.000000", "0.2") in the duration notation of every
// other message: "30s", "200ms"; from 10 s up, whole seconds ("1m30s").
std::string LagText(const std::string& seconds) {
  char* end = nullptr;
  const double v = std::strtod(seconds.c_str(), &end);
  if (end == seconds.c_str() || !(v >= 0) || v > 1e12) {
    return seconds + " s";
  }
  int64_t ms = std::llround(v * 1000);
  if (ms >= 10'000) {
    ms = (ms + 500) / 1000 * 1000;
  }
  return FormatDuration(ms);
}

namespace {

class PostgresReadiness : public ReadinessProbe {
 public:
  Result<std::vector<Readiness>> Poll(
      SqlSession& session, const std::vector<const plans::Deployment*>& deployments) override {
    BGPLAN_ASSIGN_OR_RETURN(Rows rows, session.Query(Query(deployments)));
    std::vector<Readiness> out;
    for (const plans::Deployment* d : deployments) {
      for (const plans::SchemaPair& p : d->schemas) {
        std::vector<std::string> waiting;
        for (const Row& r : rows) {
          if (r[0] == p.green) {
            waiting.push_back(r[1]);
          }
        }
        std::string list;
        for (const std::string& w : waiting) {
          list += (list.empty() ? "" : ", ") + w;
        }
        out.push_back({d->name, p.green, waiting.empty() ? "ready" : "hydrating",
                       waiting.empty() ? "" : "(not populated: " + list + ")"});
      }
    }
    return out;
  }

  std::string Query(const std::vector<const plans::Deployment*>& deployments) const override {
    std::vector<std::string> greens;
    for (const plans::Deployment* d : deployments) {
      for (const plans::SchemaPair& p : d->schemas) {
        greens.push_back(p.green);
      }
    }
    return "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
           "c.relnamespace WHERE c.relkind = 'm' AND NOT c.relispopulated AND n.nspname IN (" +
           InList(greens) + ") ORDER BY 1, 2";
  }
};

class MaterializeReadiness : public ReadinessProbe {
 public:
  void KnowServer(const std::optional<resolve::ServerVersion>& version) override {
    reconfigurations_ = !resolve::TooOld(version, resolve::kAsyncClusterReconfiguration);
  }

  Result<std::vector<Readiness>> Poll(
      SqlSession& session, const std::vector<const plans::Deployment*>& deployments) override {
    std::vector<Readiness> out;
    const std::string query = Query(deployments);
    if (query.empty()) {
      return out;
    }
    BGPLAN_ASSIGN_OR_RETURN(Rows rows, session.Query(query));
    std::map<std::string, Row> by;
    for (const Row& r : rows) {
      by[r[0]] = r;
    }
    for (const plans::Deployment* d : deployments) {
      for (const plans::ClusterPair& c : d->clusters) {
        auto it = by.find(c.green);
        if (it == by.end()) {
          out.push_back({d->name, c.green, "failing", "(cluster_not_found)"});
          continue;
        }
        const Row& r = it->second;
        std::string state = r[1];
        if (state == "failing" && r[2] == "no_replicas" && r[8] == "on-refresh") {
          state = "skipped";
        }
        std::string detail = "(hydrated " + r[3] + "/" + r[4] + ", lag " + LagText(r[5]) + ", replicas " +
                             r[6] + (r[2].empty() ? "" : ", " + r[2]);
        if (!r[9].empty()) {
          detail += ", resizing to " + r[9];
        }
        if (r[10] != "0") {
          detail += ", lag unknown for " + r[10] + " (a reading older than the environment)";
        }
        if (r[11] != "0") {
          detail += ", " + r[11] + " judged against blue's lag";
        }
        out.push_back({d->name, c.green, state, detail + ")"});
      }
    }
    return out;
  }

  std::string Query(const std::vector<const plans::Deployment*>& deployments) const override {
    MzReadinessTarget target;
    target.reconfigurations = reconfigurations_;
    for (const plans::Deployment* d : deployments) {
      target.lag_ms = std::max(target.lag_ms, d->await.lag_threshold_ms);
      for (const plans::ClusterPair& c : d->clusters) {
        target.clusters.push_back(c.green);
      }
      if (d->await.compare_to_blue) {
        for (const plans::SchemaPair& p : d->schemas) {
          target.compared_schemas.push_back({p.database.empty() ? d->database : p.database,
                                             p.green, p.blue});
        }
      }
    }
    return target.clusters.empty() ? "" : MzReadinessSql(target);
  }

 private:
  bool reconfigurations_ = true;
};

}  // namespace

EventValue ReadinessJson(const Readiness& r) {
  return {{"deployment", r.deployment}, {"object", r.object}, {"state", r.state},
          {"detail", r.detail}};
}

std::string MzReadinessSql(const MzReadinessTarget& target) {
  const std::string in = InList(target.clusters);
  char lag[64];
  std::snprintf(lag, sizeof(lag), "INTERVAL '%lld milliseconds'",
                static_cast<long long>(target.lag_ms));
  // A lag reading that cannot be real is unknown, not lag: Materialize timestamps are its own
  // wall clock, so no frontier predates the environment's first object (mz_object_lifetimes);
  // v26.15 and older read about 56 years (a frontier at 0) for objects starting up. (Younger
  // than the object itself is possible: a new view over a lagging input starts behind.)
  std::string sql =
      "WITH problematic_replicas AS (SELECT replica_id FROM "
      "mz_internal.mz_cluster_replica_status_history WHERE occurred_at + INTERVAL '24 hours' "
      "> mz_now() AND reason = 'oom-killed' GROUP BY replica_id HAVING COUNT(*) >= 3), "
      "cluster_health AS (SELECT c.name AS cluster_name, c.id AS cluster_id, COUNT(r.id) AS "
      "total_replicas, COUNT(pr.replica_id) AS problematic_replicas FROM mz_clusters c LEFT "
      "JOIN mz_cluster_replicas r ON c.id = r.cluster_id LEFT JOIN problematic_replicas pr "
      "ON r.id = pr.replica_id WHERE c.name IN (" +
      in +
      ") GROUP BY c.name, c.id), hydration_counts AS (SELECT c.name AS cluster_name, r.id "
      "AS replica_id, COUNT(mhs.object_id) FILTER (WHERE mhs.hydrated) AS hydrated, "
      "COUNT(mhs.object_id) AS total FROM mz_clusters c JOIN mz_cluster_replicas r ON c.id "
      "= r.cluster_id LEFT JOIN mz_internal.mz_hydration_statuses mhs ON mhs.replica_id = "
      "r.id AND mhs.object_id LIKE 'u%' WHERE c.name IN (" +
      in +
      ") GROUP BY c.name, r.id), hydration_best AS (SELECT cluster_name, MAX(hydrated) AS "
      "hydrated, MAX(total) AS total FROM hydration_counts GROUP BY cluster_name), "
      "environment AS (SELECT MIN(occurred_at) AS born FROM mz_internal.mz_object_lifetimes), "
      "object_lag AS (SELECT DISTINCT c.name AS cluster_name, mhs.object_id, wgl.lag, "
      "COALESCE(wgl.lag > now() - (SELECT born FROM environment), false) AS implausible FROM "
      "mz_clusters c JOIN mz_cluster_replicas r ON c.id = r.cluster_id JOIN "
      "mz_internal.mz_hydration_statuses mhs ON mhs.replica_id = r.id AND mhs.object_id LIKE "
      "'u%' JOIN mz_internal.mz_wallclock_global_lag wgl ON wgl.object_id = mhs.object_id "
      "WHERE c.name IN (" +
      in + ")), ";
  // compare_to_blue: a green object with a namesake (same name and type) in the blue schema of
  // its pair may lag at most lag_threshold more than that namesake, instead of lag_threshold.
  if (target.compared_schemas.empty()) {
    sql += "blue_lag AS (SELECT NULL::text AS object_id, NULL::interval AS blue_lag WHERE "
           "false), ";
  } else {
    std::string pairs;
    for (const auto& [database, green, blue] : target.compared_schemas) {
      pairs += std::string(pairs.empty() ? "" : " UNION ALL ") + "SELECT " +
               (database.empty() ? std::string("current_database()") : sql::QuoteLiteral(database)) +
               " AS db, " + sql::QuoteLiteral(green) + " AS green_schema, " +
               sql::QuoteLiteral(blue) + " AS blue_schema";
    }
    sql += "schema_pairs AS (" + pairs +
           "), blue_lag AS (SELECT DISTINCT ol.object_id, bl.lag AS blue_lag FROM object_lag ol "
           "JOIN mz_objects o ON o.id = ol.object_id JOIN mz_schemas gs ON gs.id = o.schema_id "
           "JOIN mz_databases d ON d.id = gs.database_id JOIN schema_pairs p ON p.db = d.name "
           "AND p.green_schema = gs.name JOIN mz_schemas bs ON bs.database_id = d.id AND "
           "bs.name = p.blue_schema JOIN mz_objects b ON b.schema_id = bs.id AND b.name = "
           "o.name AND b.type = o.type JOIN mz_internal.mz_wallclock_global_lag bl ON "
           "bl.object_id = b.id WHERE NOT COALESCE(bl.lag > now() - (SELECT born FROM "
           "environment), false)), ";
  }
  sql += "judged AS (SELECT ol.cluster_name, ol.lag, ol.implausible, bl.blue_lag IS NOT NULL AS "
         "compared, ol.lag > COALESCE(bl.blue_lag, INTERVAL '0 seconds') + " +
         std::string(lag) +
         " AS over FROM object_lag ol LEFT JOIN blue_lag bl ON bl.object_id = ol.object_id), "
         "cluster_lag AS (SELECT cluster_name, MAX(EXTRACT(EPOCH FROM lag)) FILTER (WHERE NOT "
         "implausible) AS max_lag_secs, COUNT(*) FILTER (WHERE implausible) AS unknown_lag, "
         "COUNT(*) FILTER (WHERE over AND NOT implausible) AS over_count, COUNT(*) FILTER "
         "(WHERE compared) AS compared_count FROM judged GROUP BY cluster_name), ";
  sql += target.reconfigurations
             ? "reconfiguring AS (SELECT cluster_id, COALESCE(target->>'size', '') AS target_size "
               "FROM mz_internal.mz_cluster_reconfigurations WHERE status = 'in-progress') "
             : "reconfiguring AS (SELECT NULL::text AS cluster_id, NULL::text AS target_size "
               "WHERE false) ";
  sql +=
      "SELECT ch.cluster_name, CASE WHEN ch.total_replicas = 0 THEN "
      "'failing' WHEN ch.total_replicas = ch.problematic_replicas THEN 'failing' WHEN "
      "rc.cluster_id IS NOT NULL THEN 'reconfiguring' WHEN "
      "COALESCE(hb.hydrated, 0) < COALESCE(hb.total, 0) THEN 'hydrating' WHEN "
      "COALESCE(cl.over_count, 0) > 0 THEN 'lagging' WHEN COALESCE(cl.unknown_lag, 0) > 0 THEN "
      "'lag-unknown' ELSE 'ready' END AS status, CASE WHEN "
      "ch.total_replicas = 0 THEN 'no_replicas' WHEN ch.total_replicas = "
      "ch.problematic_replicas THEN 'all_replicas_problematic' ELSE '' END, "
      "COALESCE(hb.hydrated, 0)::text, COALESCE(hb.total, 0)::text, "
      "COALESCE(cl.max_lag_secs, 0)::text, ch.total_replicas::text, "
      "ch.problematic_replicas::text, COALESCE((SELECT cs.type FROM "
      "mz_internal.mz_cluster_schedules cs WHERE cs.cluster_id = ch.cluster_id), ''), "
      "COALESCE(rc.target_size, ''), COALESCE(cl.unknown_lag, 0)::text, "
      "COALESCE(cl.compared_count, 0)::text FROM cluster_health ch LEFT JOIN hydration_best hb "
      "ON ch.cluster_name = hb.cluster_name LEFT JOIN cluster_lag cl ON ch.cluster_name = "
      "cl.cluster_name LEFT JOIN reconfiguring rc ON rc.cluster_id = ch.cluster_id";
  return sql;
}

std::unique_ptr<ReadinessProbe> MakePostgresReadiness() {
  return std::make_unique<PostgresReadiness>();
}
std::unique_ptr<ReadinessProbe> MakeMaterializeReadiness() {
  return std::make_unique<MaterializeReadiness>();
}

Status AwaitReady(SqlSession& session, ReadinessProbe& probe, DeploymentLock& lock,
                  const std::vector<const plans::Deployment*>& deployments, bool tolerate_failing,
                  EventSink& sink) {
  std::string names;
  int64_t poll = 0, stable = 0, timeout = 0;
  for (const plans::Deployment* d : deployments) {
    names += (names.empty() ? "" : ",") + d->name;
    poll = poll == 0 ? d->await.poll_interval_ms : std::min(poll, d->await.poll_interval_ms);
    stable = std::max(stable, d->await.stable_for_ms);
    timeout = std::max(timeout, d->await.timeout_ms);
  }
  // "[12s of 30m]": how long this await has waited, and how long it may (the longest timeout of
  // the deployments; each gives up at its own).
  auto progress = [&](int64_t elapsed_ms) {
    return " [" + FormatDuration(elapsed_ms / 1000 * 1000) + " of " + FormatDuration(timeout) + "]";
  };
  sink.Emit({"await", names,
             "await: polling every " + FormatDuration(poll) + " until every green object is ready" +
                 (stable > 0 ? " for " + FormatDuration(stable) : "") + "; timeout " +
                 FormatDuration(timeout) + " (exit 4)",
             {{"state", "started"}, {"poll_interval_ms", poll}, {"timeout_ms", timeout}}});
  // On a terminal: one live line per object, rewritten in place each poll. Otherwise (a pipe, a
  // CI log) one line per change, never a cursor-control code; JSON: one event per poll.
  const bool live = !sink.options().json && !sink.options().quiet &&
                    isatty(fileno(stderr)) != 0 && std::getenv("TERM") != nullptr &&
                    std::string(std::getenv("TERM")) != "dumb";
  size_t live_lines = 0;
  auto start = std::chrono::steady_clock::now();
  int64_t ready_since = -1;  // elapsed ms when every object became ready
  std::map<std::string, std::string> last;
  std::set<std::string> warned;
  for (int64_t n = 1;; ++n) {
    BGPLAN_RETURN_IF_ERROR(lock.Refresh(session));
    BGPLAN_ASSIGN_OR_RETURN(std::vector<Readiness> states, probe.Poll(session, deployments));
    const int64_t elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count();
    bool all_ready = true;
    std::vector<std::string> failing;
    std::set<std::string> not_ready;  // deployments
    std::string summary, live_text;
    for (const Readiness& r : states) {
      if (r.state == "skipped" && warned.insert(r.object).second) {
        sink.Emit({"warning", names,
                   "await: cluster " + r.object +
                       " has SCHEDULE = ON REFRESH and is currently off: skipped",
                   {}});
      }
      const std::string line = r.object + ": " + r.state + (r.detail.empty() ? "" : " " + r.detail);
      if (r.state == "failing") {
        failing.push_back(line);
      }
      if (r.state != "ready" && r.state != "skipped") {
        all_ready = false;
        not_ready.insert(r.deployment);
      }
      summary += (summary.empty() ? "" : "; ") + line;
      if (live) {
        live_text += "\x1b[2K  " + EscapeControls(line) + progress(elapsed) + "\n";
      } else if (!sink.options().json && last[r.object] != r.state) {
        sink.Emit({"await", names, "  " + line + progress(elapsed), {}});
      }
      last[r.object] = r.state;
    }
    if (live && !states.empty()) {
      if (live_lines > 0) {
        std::fprintf(stderr, "\x1b[%zuA", live_lines);
      }
      std::fputs(live_text.c_str(), stderr);
      std::fflush(stderr);
      live_lines = states.size();
    }
    if (sink.options().json) {
      EventValue each = EventValue::array();  // each green object's state, for scripts
      for (const Readiness& r : states) {
        each.push_back(ReadinessJson(r));
      }
      sink.Emit({"poll", names, summary.empty() ? "no green object to wait for" : summary,
                 {{"poll", n},
                  {"objects", each},
                  {"elapsed_ms", elapsed},
                  {"state", all_ready ? "ready" : "waiting"},
                  {"ready", all_ready}}});
    }
    if (!failing.empty() && !tolerate_failing) {
      std::string list;
      for (const std::string& f : failing) {
        list += (list.empty() ? "" : "; ") + f;
      }
      return Status(StatusCode::kFailing,
                    "await: green cluster failing: " + list + " (--tolerate-failing keeps waiting)");
    }
    if (all_ready) {
      if (ready_since < 0) {
        ready_since = elapsed;
      }
      if (elapsed - ready_since >= stable) {
        sink.Emit({"await", names,
                   "await: all " + std::to_string(states.size()) +
                       " green object(s) are ready after " +
                       FormatDuration(elapsed / 1000 * 1000),
                   {{"state", "ready"}, {"elapsed_ms", elapsed}}});
        return Status::Ok();
      }
    } else {
      ready_since = -1;
    }
    // A deployment that is not ready gives up at its own timeout.
    int64_t wait = poll;
    for (const plans::Deployment* d : deployments) {
      if (!not_ready.count(d->name)) {
        continue;
      }
      if (elapsed >= d->await.timeout_ms) {
        return Status(StatusCode::kTimeout, "await: timed out after " +
                                                FormatDuration(d->await.timeout_ms) +
                                                " (deployment " + d->name + "): " + summary);
      }
      wait = std::min(wait, std::max<int64_t>(d->await.timeout_ms - elapsed, 1));
    }
    if (!InterruptibleSleep(static_cast<long>(all_ready ? std::min<int64_t>(wait, 100) : wait))) {
      return Status(StatusCode::kInterrupted, "await interrupted; nothing was changed");
    }
  }
}

}  // namespace bgplan::runtime
