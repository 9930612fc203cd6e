// gRPC server credentials for TLS on the gRPC port, from the same files as
// the admin port: gRPC's FileWatcherCertificateProvider rereads them every
// reload interval, so renewed certificates are served without a restart;
// with a client CA, clients must present a certificate it signed.
//
// Thread-safe: returns a new credentials object per call.
#ifndef SERVING_TLS_GRPC_TLS_H_
#define SERVING_TLS_GRPC_TLS_H_

#include <memory>

#include "grpcpp/security/server_credentials.h"
#include "serving/tls/tls_files.h"

namespace recommender::serving::tls {

// `files` must have passed CheckTlsFiles.
std::shared_ptr<grpc::ServerCredentials> GrpcTlsCredentials(const TlsFiles& files);

}  // namespace recommender::serving::tls

#endif  // SERVING_TLS_GRPC_TLS_H_
