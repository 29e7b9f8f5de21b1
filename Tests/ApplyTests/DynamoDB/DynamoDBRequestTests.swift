@testable import AWS
import Foundation
import Shared
import Testing

@testable import Apply

@Suite("DynamoDB request building")
struct DynamoDBRequestTests {
    static let version = "00000000016B7010:00000003"
    let versionedPut = PutItemInput(
        tableName: "Payments",
        item: ["PaymentId": .n("42"), "Amount": .n("12.30"), "_ferry_version": .s(version)],
        conditionExpression: "attribute_not_exists(#v) OR #v < :v",
        expressionAttributeNames: ["#v": "_ferry_version"],
        expressionAttributeValues: [":v": .s(version)],
        returnValuesOnConditionCheckFailure: .allOld
    )
    func factory() throws -> DynamoDBRequestFactory {
        DynamoDBRequestFactory(endpoint: try .regional(service: "dynamodb", region: "us-east-1"), region: "us-east-1")
    }
    /// 2015-08-30T12:36:00Z.
    let signingTime = Date(timeIntervalSince1970: 1_440_938_160)

    @Test func conditionalPutItemBody() {
        let json = String(decoding: versionedPut.requestBody.json.jsonBytes, as: UTF8.self)
        #expect(json == #"{"TableName":"Payments","#
            + #""Item":{"Amount":{"N":"12.30"},"PaymentId":{"N":"42"},"_ferry_version":{"S":"00000000016B7010:00000003"}},"#
            + ##""ConditionExpression":"attribute_not_exists(#v) OR #v < :v","##
            + ##""ExpressionAttributeNames":{"#v":"_ferry_version"},"##
            + #""ExpressionAttributeValues":{":v":{"S":"00000000016B7010:00000003"}},"#
            + #""ReturnValuesOnConditionCheckFailure":"ALL_OLD"}"#)
    }

    @Test func emptyExpressionMapsAndDefaultsAreLeftOut() {
        let put = PutItemInput(tableName: "T", item: ["Id": .s("a")])
        #expect(String(decoding: put.requestBody.json.jsonBytes, as: UTF8.self)
            == #"{"TableName":"T","Item":{"Id":{"S":"a"}}}"#)
        let get = GetItemInput(tableName: "T", key: ["Id": .s("a")], consistentRead: true)
        #expect(String(decoding: get.requestBody.json.jsonBytes, as: UTF8.self)
            == #"{"TableName":"T","Key":{"Id":{"S":"a"}},"ConsistentRead":true}"#)
    }

    @Test func transactionActionsWrapTheSharedFields() {
        let action = TransactWriteItem.delete(DeleteItemInput(
            tableName: "T", key: ["Id": .s("a")], conditionExpression: "attribute_exists(Id)", returnValues: .allOld))
        #expect(String(decoding: action.json.jsonBytes, as: UTF8.self)
            == #"{"Delete":{"TableName":"T","Key":{"Id":{"S":"a"}},"ConditionExpression":"attribute_exists(Id)"}}"#)
    }

    @Test func createTableAsksForOnDemandBilling() {
        let input = CreateTableInput(
            tableName: "T",
            attributeDefinitions: [AttributeDefinition("pk", .s), AttributeDefinition("g", .n)],
            keySchema: [KeySchemaElement("pk", .hash)],
            globalSecondaryIndexes: [GlobalSecondaryIndex(indexName: "ByG", keySchema: [KeySchemaElement("g", .hash)],
                                                          projection: .keysOnly)]
        )
        #expect(String(decoding: input.requestBody.json.jsonBytes, as: UTF8.self)
            == #"{"TableName":"T","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},"#
            + #"{"AttributeName":"g","AttributeType":"N"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"#
            + #""GlobalSecondaryIndexes":[{"IndexName":"ByG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"#
            + #""Projection":{"ProjectionType":"KEYS_ONLY"}}],"BillingMode":"PAY_PER_REQUEST"}"#)
    }

    @Test func headersCarryTheTargetAndASignatureOverExactlyWhatIsSent() throws {
        let body = versionedPut.requestBody.json.jsonBytes
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        let request = try factory().makeRequest(.putItem, body: body, credentials: credentials, at: signingTime)

        #expect(request.method == "POST")
        #expect(request.url == "https://dynamodb.us-east-1.amazonaws.com/")
        #expect(request.body == body)
        #expect(request.header("Host") == "dynamodb.us-east-1.amazonaws.com")
        #expect(request.header("Content-Type") == "application/x-amz-json-1.0")
        #expect(request.header("X-Amz-Target") == "DynamoDB_20120810.PutItem")
        #expect(request.header("X-Amz-Date") == "20150830T123600Z")
        #expect(request.header("X-Amz-Security-Token") == nil)

        let authorization = try #require(request.header("Authorization"))
        let prefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dynamodb/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="
        #expect(authorization.hasPrefix(prefix))
        let signature = authorization.dropFirst(prefix.count)
        #expect(signature.count == 64 && signature.allSatisfy(\.isHexDigit))

        // Re-sign what goes on the wire (minus the unsigned User-Agent): the signature must be the same.
        let sentHeaders = request.headers.filter { !["Authorization", "User-Agent"].contains($0.name) }
        let resigned = SigV4Signer(credentials: credentials, region: "us-east-1", service: "dynamodb")
            .sign(SignableRequest(method: "POST", path: "/", headers: sentHeaders, body: request.body), at: signingTime)
        #expect(resigned.last?.value == authorization)
    }

    @Test func sessionTokensAreSentAndSigned() throws {
        let credentials = AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token")
        let request = try factory().makeRequest(.getItem, body: Array("{}".utf8), credentials: credentials, at: signingTime)
        #expect(request.header("X-Amz-Security-Token") == "token")
        #expect(try #require(request.header("Authorization"))
            .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"))
    }

    @Test func endpointsKeepNonDefaultPortsInTheHostHeader() throws {
        let local = try AWSEndpoint(url: "http://127.0.0.1:58000")
        #expect(local.hostHeader == "127.0.0.1:58000")
        #expect(local.url == "http://127.0.0.1:58000/")
        #expect(try AWSEndpoint(url: "https://example.com:443/").hostHeader == "example.com")
        #expect(try AWSEndpoint.regional(service: "dynamodb", region: "cn-north-1").url == "https://dynamodb.cn-north-1.amazonaws.com.cn/")
        #expect(throws: AWSEndpointError(url: "ftp://x")) { try AWSEndpoint(url: "ftp://x") }
    }
}
