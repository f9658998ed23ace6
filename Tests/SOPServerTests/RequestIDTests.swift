import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import XCTest

/// The request id a load balancer sends (deploy/nginx/sop.conf) comes back in the answer and is
/// the request's id; a hostile or overlong one is replaced by the server's own.
extension ServerTests {
    func testRequestIDFromTheBalancerComesBack() async throws {
        let f = try fixture()
        try await f.app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get, headers: [.init("X-Request-Id")!: "nginx-0af3:17.2"]) { r in
                XCTAssertEqual(r.status, .ok)
                XCTAssertEqual(r.headers[.init("X-Request-Id")!], "nginx-0af3:17.2")
            }
            // Refusals carry it too.
            try await client.execute(uri: "/api/cases", method: .get, headers: [.init("X-Request-Id")!: "rid-401"]) { r in
                XCTAssertEqual(r.status, .unauthorized)
                XCTAssertEqual(r.headers[.init("X-Request-Id")!], "rid-401")
            }
            for bad in ["a b", "<script>", String(repeating: "x", count: 129), "a/b?c", "ïd"] {
                try await client.execute(uri: "/healthz", method: .get, headers: [.init("X-Request-Id")!: bad]) { r in
                    let id = r.headers[.init("X-Request-Id")!]
                    XCTAssertNotNil(id)
                    XCTAssertNotEqual(id, bad)
                }
            }
            // Without one, the server's own id is given.
            try await client.execute(uri: "/healthz", method: .get) { r in
                XCTAssertFalse((r.headers[.init("X-Request-Id")!] ?? "").isEmpty)
            }
        }
    }
}
