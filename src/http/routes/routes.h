// Registers every API route on the server. Each route declares the access it needs; the
// server enforces it before the handler runs (http/server.cc).
#pragma once

#include <string>

#include "common/config.h"
#include "http/server.h"

namespace zm::security {
class Auth;
}
namespace zm::storage {
class Database;
}
namespace zm::jobs {
class JobsAdmin;
}
namespace zm::workflow {
class Automation;
}
namespace zm::services {
class OrgService;
class JobService;
class CandidateService;
class InterviewService;
class WorkspaceService;
class ModelService;
}  // namespace zm::services
namespace zm::notify {
class NotifyService;
}

namespace zm::http {

struct RouteDeps {
  const Config& config;
  storage::Database& db;
  security::Auth& auth;
  services::OrgService& org;
  services::JobService& jobs;
  services::CandidateService& candidates;
  services::InterviewService& interviews;
  services::WorkspaceService& workspace;
  services::ModelService& models;
  notify::NotifyService& notify;
  ::zm::jobs::JobsAdmin& queue_admin;
  ::zm::workflow::Automation& automation;
};

void RegisterAuthRoutes(Server& server, const RouteDeps& deps);
void RegisterOrgRoutes(Server& server, const RouteDeps& deps);
void RegisterJobRoutes(Server& server, const RouteDeps& deps);
void RegisterCandidateRoutes(Server& server, const RouteDeps& deps);
void RegisterAdminRoutes(Server& server, const RouteDeps& deps);
void RegisterInterviewRoutes(Server& server, const RouteDeps& deps);
void RegisterWorkspaceRoutes(Server& server, const RouteDeps& deps);
void RegisterModelRoutes(Server& server, const RouteDeps& deps);
void RegisterNotifyRoutes(Server& server, const RouteDeps& deps);
void RegisterJobQueueRoutes(Server& server, const RouteDeps& deps);
void RegisterAutomationRoutes(Server& server, const RouteDeps& deps);

inline void RegisterAllRoutes(Server& server, const RouteDeps& deps) {
  // First: its literal paths (/applications/export.csv) must win over /applications/{id}.
  RegisterWorkspaceRoutes(server, deps);
  RegisterAuthRoutes(server, deps);
  RegisterOrgRoutes(server, deps);
  RegisterJobRoutes(server, deps);
  RegisterCandidateRoutes(server, deps);
  RegisterAdminRoutes(server, deps);
  RegisterInterviewRoutes(server, deps);
  RegisterModelRoutes(server, deps);
  RegisterNotifyRoutes(server, deps);
  RegisterJobQueueRoutes(server, deps);
  RegisterAutomationRoutes(server, deps);
}

// Resolves the caller of a request from its zm_session cookie or bearer token.
Authenticator MakeAuthenticator(security::Auth& auth);

}  // namespace zm::http
