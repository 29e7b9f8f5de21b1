import CRdKafka
import Logging

/// What the C rebalance callback reaches through the client's opaque pointer.
final class RebalanceContext: RdKafkaCallbackContext, @unchecked Sendable {
    let handler: (@Sendable (KafkaRebalanceEvent) -> Void)?
    let logger: Logger

    init(handler: (@Sendable (KafkaRebalanceEvent) -> Void)?, logger: Logger) {
        self.handler = handler
        self.logger = logger
    }

    override var clientErrorLogger: Logger? { logger }
}

/// librdkafka's rebalance callback (runs on the thread that polls the consumer).
/// On revocation: tell the handler, commit the stored offsets, then release the partitions — so whatever the
/// handler stored as durable is committed before another member can take the partitions over.
let rebalanceCallback:
    @convention(c) (
        OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        UnsafeMutableRawPointer?
    ) -> Void = { handle, reason, partitions, opaque in
        guard let handle, let partitions, let opaque else { return }
        let context = Unmanaged<RebalanceContext>.fromOpaque(opaque).takeUnretainedValue()
        let changed = RdKafkaPartitionList.offsets(in: partitions).map(\.topicPartition)
        let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
        switch reason {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_assign(handle, partitions) {
                    context.logger.error("assigning partitions failed", metadata: ["error": "\(KafkaError(consuming: error))"])
                }
            } else {
                rd_kafka_assign(handle, partitions)
            }
            context.logger.info("partitions assigned", metadata: ["partitions": "\(changed)"])
            context.handler?(.assigned(changed))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            context.handler?(.revoked(changed))
            let code = rd_kafka_commit(handle, nil, 0)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR__NO_OFFSET {
                context.logger.warning(
                    "committing before revocation failed; the next owner re-reads (idempotent)",
                    metadata: ["error": "\(KafkaError(code))"])
            }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(handle, partitions) {
                    context.logger.error("releasing partitions failed", metadata: ["error": "\(KafkaError(consuming: error))"])
                }
            } else {
                rd_kafka_assign(handle, nil)
            }
            context.logger.info("partitions revoked", metadata: ["partitions": "\(changed)"])
        default:
            context.logger.error("rebalance failed", metadata: ["error": "\(KafkaError(reason))"])
            rd_kafka_assign(handle, nil)
        }
    }
