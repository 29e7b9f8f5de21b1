import Apply
import Foundation
import Shared
import Testing

/// Apply whose Kafka clients cannot get a SASL/OAUTHBEARER token (e.g. `--kafka-auth aws-msk-iam` without AWS
/// credentials) stops with the reason: restarting its clients would only ask the same source again.
@Suite("Apply stops when its Kafka token cannot be made")
struct ApplyKafkaTokenFailureTests {
    @Test func applyStopsWithTheReasonInsteadOfRetrying() async throws {
        let topic = try await ApplyTestTopic("token_failure")
        let reason = "no AWS credentials here (test \(TestStack.uniqueName("reason")))"
        var options = try topic.options()
        // The first Kafka call is then a metadata request (10 s) rather than a topic creation (30 s).
        options.truncateMode = .delete
        options.kafka = try KafkaOAuthBearerTests.configuration(ScriptedTokenSource(failure: reason), options.kafka)
        let (_, apply) = topic.startApply(options)

        // Before: apply logged "retrying" every few seconds, for ever; the limit turns that into a failure.
        let outcome = await withTaskGroup(of: Result<Void, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await apply.value) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(60))
                apply.cancel()
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        apply.cancel()
        await topic.dropTable()
        guard case .failure(let error)? = outcome else {
            Issue.record("apply did not stop within 60 s (outcome: \(String(describing: outcome)))")
            return
        }
        let kafkaError = try #require(error as? KafkaError, "stopped with \(error)")
        #expect(kafkaError.code == .authentication)
        #expect(kafkaError.description.contains(reason))
    }
}
