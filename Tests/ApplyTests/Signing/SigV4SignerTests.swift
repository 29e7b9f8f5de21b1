@testable import AWS
import Foundation
import Testing

@testable import Apply

// Expected values below are AWS's published test data, copied verbatim:
//  - the IAM ListUsers example of the AWS General Reference, "Signature Version 4
//    signing process" (tasks 1–4: create a canonical request, string to sign,
//    calculate the signature, add it to the request);
//  - the AWS SigV4 test suite as maintained with the AWS Common Runtime
//    (awslabs/aws-c-auth, tests/aws-signing-test-suite/v4/<case>/: context.json,
//    request.txt, header-canonical-request.txt, header-string-to-sign.txt and the
//    Authorization line of header-signed-request.txt), where the signer adds
//    X-Amz-Date itself, as ours does;
//  - one case of the original 2015 aws-sig-v4-test-suite archive.

/// 2015-08-30T12:36:00Z, the time of every published vector.
private let publishedVectorTime = Date(timeIntervalSince1970: 1_440_938_160)

private let exampleCredentials = AWSCredentials(
    accessKeyId: "AKIDEXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

// MARK: - AWS General Reference: IAM ListUsers example

@Suite("AWS General Reference IAM ListUsers example")
struct IAMListUsersExampleTests {
    let signer = SigV4Signer(credentials: exampleCredentials, region: "us-east-1", service: "iam")
    let request = SignableRequest(
        method: "GET",
        path: "/",
        query: "Action=ListUsers&Version=2010-05-08",
        headers: [
            (name: "Host", value: "iam.amazonaws.com"),
            (name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"),
        ]
    )

    @Test func canonicalRequest() {
        let steps = signer.signingSteps(for: request, at: publishedVectorTime)
        #expect(
            steps.canonicalRequest.text == """
                GET
                /
                Action=ListUsers&Version=2010-05-08
                content-type:application/x-www-form-urlencoded; charset=utf-8
                host:iam.amazonaws.com
                x-amz-date:20150830T123600Z

                content-type;host;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """
        )
        #expect(steps.canonicalRequest.signedHeaders == "content-type;host;x-amz-date")
    }

    /// The string to sign ends with the hex SHA-256 of the canonical request.
    @Test func stringToSignCarriesHashedCanonicalRequest() {
        let steps = signer.signingSteps(for: request, at: publishedVectorTime)
        #expect(
            steps.stringToSign == """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/iam/aws4_request
                f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59
                """
        )
    }

    @Test func derivedSigningKey() {
        let key = signer.signingKey(dateStamp: "20150830")
        let keyBytes = key.withUnsafeBytes { Array($0) }
        #expect(keyBytes.hexEncodedString == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
    }

    @Test func signatureAndAuthorizationHeader() {
        let steps = signer.signingSteps(for: request, at: publishedVectorTime)
        #expect(steps.signature == "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")

        let headers = signer.sign(request, at: publishedVectorTime)
        #expect(headers.map(\.name) == ["X-Amz-Date", "Authorization"])
        #expect(headers.value(named: "X-Amz-Date") == "20150830T123600Z")
        #expect(
            headers.value(named: "Authorization")
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        )
    }
}

// MARK: - AWS SigV4 test suite

struct PublishedVector: Sendable, CustomTestStringConvertible {
    let name: String
    var sessionToken: String? = nil
    var signsContentHashHeader = false
    let request: SignableRequest
    let canonicalRequest: String
    let stringToSign: String
    let authorization: String

    var testDescription: String { name }

    var signer: SigV4Signer {
        SigV4Signer(
            credentials: AWSCredentials(
                accessKeyId: exampleCredentials.accessKeyId,
                secretAccessKey: exampleCredentials.secretAccessKey,
                sessionToken: sessionToken
            ),
            region: "us-east-1",
            service: "service",
            signsContentHashHeader: signsContentHashHeader
        )
    }
}

private let exampleHost = (name: "Host", value: "example.amazonaws.com")

private let stsExampleToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

let publishedSuiteVectors: [PublishedVector] = [
    PublishedVector(
        name: "get-vanilla",
        request: SignableRequest(method: "GET", path: "/", headers: [exampleHost]),
        canonicalRequest: """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    ),
    PublishedVector(
        name: "get-vanilla-with-session-token",
        sessionToken: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
        request: SignableRequest(method: "GET", path: "/", headers: [exampleHost]),
        canonicalRequest: """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z
            x-amz-security-token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267

            host;x-amz-date;x-amz-security-token
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
    ),
    PublishedVector(
        name: "post-sts-header-before",
        sessionToken: stsExampleToken,
        request: SignableRequest(method: "POST", path: "/", headers: [exampleHost]),
        canonicalRequest: """
            POST
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z
            x-amz-security-token:\(stsExampleToken)

            host;x-amz-date;x-amz-security-token
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"
    ),
    PublishedVector(
        name: "get-vanilla-query-order-key-case",
        request: SignableRequest(method: "GET", path: "/", query: "Param2=value2&Param1=value1", headers: [exampleHost]),
        canonicalRequest: """
            GET
            /
            Param1=value1&Param2=value2
            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
    ),
    // Sorting is by encoded name, then value: "Param" precedes "Param-3" although "-" < "=".
    PublishedVector(
        name: "get-vanilla-query-order-encoded",
        request: SignableRequest(
            method: "GET",
            path: "/",
            query: "Param-3=Value3&Param=Value2&%E1%88%B4=Value1",
            headers: [exampleHost]
        ),
        canonicalRequest: """
            GET
            /
            %E1%88%B4=Value1&Param=Value2&Param-3=Value3
            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            868294f5c38bd141c4972a373a76654f1418a8e4fc18b2e7903ae45e8ae0ec71
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"
    ),
    PublishedVector(
        name: "get-vanilla-query-unreserved",
        request: SignableRequest(
            method: "GET",
            path: "/",
            query: "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            headers: [exampleHost]
        ),
        canonicalRequest: """
            GET
            /
            -._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz
            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"
    ),
    PublishedVector(
        name: "get-vanilla-utf8-query",
        request: SignableRequest(method: "GET", path: "/", query: "\u{1234}=bar", headers: [exampleHost]),
        canonicalRequest: """
            GET
            /
            %E1%88%B4=bar
            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"
    ),
    PublishedVector(
        name: "get-header-key-duplicate",
        request: SignableRequest(
            method: "GET",
            path: "/",
            headers: [
                exampleHost,
                (name: "My-Header1", value: "value2"),
                (name: "My-Header1", value: "value2"),
                (name: "My-Header1", value: "value1"),
            ]
        ),
        canonicalRequest: """
            GET
            /

            host:example.amazonaws.com
            my-header1:value2,value2,value1
            x-amz-date:20150830T123600Z

            host;my-header1;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"
    ),
    PublishedVector(
        name: "get-header-value-trim",
        request: SignableRequest(
            method: "GET",
            path: "/",
            headers: [
                exampleHost,
                (name: "My-Header1", value: " value1"),
                (name: "My-Header2", value: " \"a   b   c\""),
            ]
        ),
        canonicalRequest: """
            GET
            /

            host:example.amazonaws.com
            my-header1:value1
            my-header2:"a b c"
            x-amz-date:20150830T123600Z

            host;my-header1;my-header2;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
    ),
    PublishedVector(
        name: "get-unreserved",
        request: SignableRequest(
            method: "GET",
            path: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            headers: [exampleHost]
        ),
        canonicalRequest: """
            GET
            /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"
    ),
    PublishedVector(
        name: "get-utf8",
        request: SignableRequest(method: "GET", path: "/\u{1234}", headers: [exampleHost]),
        canonicalRequest: """
            GET
            /%E1%88%B4

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"
    ),
    PublishedVector(
        name: "get-space-unnormalized",
        request: SignableRequest(method: "GET", path: "/example space/", headers: [exampleHost]),
        canonicalRequest: """
            GET
            /example%20space/

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"
    ),
    PublishedVector(
        name: "get-slashes-unnormalized",
        request: SignableRequest(method: "GET", path: "//example//", headers: [exampleHost]),
        canonicalRequest: """
            GET
            //example//

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            528ec3105ee1f34ab014bb0a1a45da0ed2742a4fea3555149e5b4d5d201eb240
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5"
    ),
    PublishedVector(
        name: "post-header-key-sort",
        request: SignableRequest(
            method: "POST",
            path: "/",
            headers: [exampleHost, (name: "My-Header1", value: "value1")]
        ),
        canonicalRequest: """
            POST
            /

            host:example.amazonaws.com
            my-header1:value1
            x-amz-date:20150830T123600Z

            host;my-header1;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"
    ),
    PublishedVector(
        name: "post-vanilla-query",
        request: SignableRequest(method: "POST", path: "/", query: "Param1=value1", headers: [exampleHost]),
        canonicalRequest: """
            POST
            /
            Param1=value1
            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"
    ),
    PublishedVector(
        name: "post-x-www-form-urlencoded",
        signsContentHashHeader: true,
        request: SignableRequest(
            method: "POST",
            path: "/",
            headers: [
                (name: "Content-Type", value: "application/x-www-form-urlencoded"),
                exampleHost,
                (name: "Content-Length", value: "13"),
            ],
            body: Array("Param1=value1".utf8)
        ),
        canonicalRequest: """
            POST
            /

            content-length:13
            content-type:application/x-www-form-urlencoded
            host:example.amazonaws.com
            x-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
            x-amz-date:20150830T123600Z

            content-length;content-type;host;x-amz-content-sha256;x-amz-date
            9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            b1edd1d03544c25390e32085d55b57acc9a3961bb59415ff86c45c3d89d16cfb
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"
    ),
    PublishedVector(
        name: "post-x-www-form-urlencoded-parameters",
        signsContentHashHeader: true,
        request: SignableRequest(
            method: "POST",
            path: "/",
            headers: [
                (name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8"),
                exampleHost,
                (name: "Content-Length", value: "13"),
            ],
            body: Array("Param1=value1".utf8)
        ),
        canonicalRequest: """
            POST
            /

            content-length:13
            content-type:application/x-www-form-urlencoded; charset=utf-8
            host:example.amazonaws.com
            x-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
            x-amz-date:20150830T123600Z

            content-length;content-type;host;x-amz-content-sha256;x-amz-date
            9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            a89f1a5b53e37702ee6363ce1da3ce8f54386f3c8f352ae652153c2982a0bc4d
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422"
    ),
    // The original 2015 suite's variant: no Content-Length, no X-Amz-Content-Sha256.
    PublishedVector(
        name: "post-x-www-form-urlencoded (2015 suite)",
        request: SignableRequest(
            method: "POST",
            path: "/",
            headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded"), exampleHost],
            body: Array("Param1=value1".utf8)
        ),
        canonicalRequest: """
            POST
            /

            content-type:application/x-www-form-urlencoded
            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            content-type;host;x-amz-date
            9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
            """,
        stringToSign: """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281
            """,
        authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
    ),
]

@Suite("AWS SigV4 test suite")
struct SigV4TestSuiteTests {
    @Test(arguments: publishedSuiteVectors)
    func canonicalRequest(_ vector: PublishedVector) {
        let steps = vector.signer.signingSteps(for: vector.request, at: publishedVectorTime)
        #expect(steps.canonicalRequest.text == vector.canonicalRequest)
    }

    @Test(arguments: publishedSuiteVectors)
    func stringToSign(_ vector: PublishedVector) {
        let steps = vector.signer.signingSteps(for: vector.request, at: publishedVectorTime)
        #expect(steps.stringToSign == vector.stringToSign)
    }

    @Test(arguments: publishedSuiteVectors)
    func signedHeaders(_ vector: PublishedVector) {
        let headers = vector.signer.sign(vector.request, at: publishedVectorTime)
        #expect(headers.value(named: "Authorization") == vector.authorization)
        #expect(headers.value(named: "X-Amz-Date") == "20150830T123600Z")
        #expect(headers.value(named: "X-Amz-Security-Token") == vector.sessionToken)
    }

    /// Items are encoded into the same query the get-vanilla-utf8-query vector sends raw.
    @Test func queryItemsEncodeLikeTheWireForm() {
        let vector = publishedSuiteVectors.first { $0.name == "get-vanilla-utf8-query" }
        let request = SignableRequest(
            method: "GET",
            path: "/",
            queryItems: [(name: "\u{1234}", value: "bar")],
            headers: [exampleHost]
        )
        #expect(request.query == "%E1%88%B4=bar")
        let headers = SigV4Signer(credentials: exampleCredentials, region: "us-east-1", service: "service")
            .sign(request, at: publishedVectorTime)
        #expect(headers.value(named: "Authorization") == vector?.authorization)
    }
}

// MARK: - Ferry's own use: DynamoDB

@Suite("DynamoDB request signing")
struct DynamoDBSigningTests {
    let signer = SigV4Signer(
        credentials: AWSCredentials(
            accessKeyId: "AKIDEXAMPLE",
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            sessionToken: "session-token-example"
        ),
        region: "eu-west-1",
        service: "dynamodb"
    )
    let putItem = SignableRequest(
        method: "POST",
        path: "/",
        headers: [
            (name: "Host", value: "dynamodb.eu-west-1.amazonaws.com"),
            (name: "Content-Type", value: "application/x-amz-json-1.0"),
            (name: "X-Amz-Target", value: "DynamoDB_20120810.PutItem"),
        ],
        body: Array(#"{"TableName":"orders","Item":{"pk":{"S":"order#1"}}}"#.utf8)
    )

    @Test func putItemHeadersHaveStableStructure() throws {
        let headers = signer.sign(putItem, at: publishedVectorTime)
        #expect(headers.map(\.name) == ["X-Amz-Date", "X-Amz-Security-Token", "Authorization"])
        #expect(headers.value(named: "X-Amz-Security-Token") == "session-token-example")

        let authorization = try #require(headers.value(named: "Authorization"))
        #expect(authorization.hasPrefix(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/dynamodb/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature="
        ))
        let signature = try #require(authorization.split(separator: "=").last)
        #expect(signature.count == 64)
        #expect(signature.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    /// Pinned so an accidental change to canonicalisation shows up; the value
    /// matches botocore's SigV4Auth for the same request, time and credentials.
    @Test func putItemSignatureIsPinned() {
        let steps = signer.signingSteps(for: putItem, at: publishedVectorTime)
        #expect(steps.signature == "031ed1af578cad6a39e10a05dc58cd788a134db26928432cf81ba0bbce0a0b49")
    }

    /// A retry re-signs with the time of the new attempt; AWS rejects stale signatures.
    @Test func resigningAtAnotherTimeChangesTheSignature() {
        let first = signer.sign(putItem, at: publishedVectorTime)
        let retry = signer.sign(putItem, at: publishedVectorTime.addingTimeInterval(1))
        #expect(retry.value(named: "X-Amz-Date") == "20150830T123601Z")
        #expect(first.value(named: "Authorization") != retry.value(named: "Authorization"))
        #expect(signer.sign(putItem, at: publishedVectorTime).value(named: "Authorization")
            == first.value(named: "Authorization"))
    }

    /// A cached signing key signs exactly as a freshly derived one, and a new day (or other credentials) derives
    /// a new key rather than reusing the kept one.
    @Test func aCachedSigningKeySignsAsAFreshOne() {
        let cache = SigningKeyCache()
        let cached = SigV4Signer(
            credentials: signer.credentials, region: signer.region, service: signer.service, keyCache: cache)
        let nextDay = publishedVectorTime.addingTimeInterval(86_400)
        for time in [publishedVectorTime, publishedVectorTime, nextDay, publishedVectorTime] {
            #expect(cached.sign(putItem, at: time).value(named: "Authorization")
                == signer.sign(putItem, at: time).value(named: "Authorization"))
        }
        let rotated = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "another-secret", sessionToken: nil)
        let afterRotation = SigV4Signer(credentials: rotated, region: signer.region, service: signer.service, keyCache: cache)
        #expect(afterRotation.sign(putItem, at: publishedVectorTime).value(named: "Authorization")
            == SigV4Signer(credentials: rotated, region: signer.region, service: signer.service)
                .sign(putItem, at: publishedVectorTime).value(named: "Authorization"))
    }

    /// Re-signing a request that still carries the previous attempt's signature
    /// headers gives the same result as signing the clean request.
    @Test func headersOwnedBySignerAreReplacedNotSigned() {
        var previouslySigned = putItem
        previouslySigned.headers += signer.sign(putItem, at: publishedVectorTime.addingTimeInterval(-60))
        let retryTime = publishedVectorTime.addingTimeInterval(30)
        #expect(signer.sign(previouslySigned, at: retryTime).value(named: "Authorization")
            == signer.sign(putItem, at: retryTime).value(named: "Authorization"))
    }
}

// MARK: - Building blocks

@Suite("SigV4 building blocks")
struct SigV4BuildingBlockTests {
    @Test(arguments: [
        (1_440_938_160.0, "20150830T123600Z"),
        (1_440_938_160.999, "20150830T123600Z"),  // sub-second parts are dropped, not rounded
        (0.0, "19700101T000000Z"),
        (-1.0, "19691231T235959Z"),
        (951_782_400.0, "20000229T000000Z"),  // leap day in a year divisible by 400
        (1_709_251_199.0, "20240229T235959Z"),
        (4_107_542_400.0, "21000301T000000Z"),  // 2100 is not a leap year
    ])
    func timestampFormatsUTCFields(secondsSince1970: Double, amzDate: String) {
        let timestamp = SigV4Timestamp(Date(timeIntervalSince1970: secondsSince1970))
        #expect(timestamp.amzDate == amzDate)
        #expect(timestamp.dateStamp == String(amzDate.prefix(8)))
    }

    @Test func timestampClampsToFourDigitYears() {
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: .infinity)).amzDate == "99991231T235959Z")
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: -.infinity)).amzDate == "00000101T000000Z")
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: .nan)).amzDate == "00000101T000000Z")
    }

    @Test func percentEncodingKeepsOnlyUnreservedCharacters() {
        #expect(AWSPercentEncoding.encode("a b+c=d&e/f%g~h") == "a%20b%2Bc%3Dd%26e%2Ff%25g~h")
        #expect(AWSPercentEncoding.canonicalize("a%20b+c%7e%2f%zz") == "a%20b%2Bc~%2F%25zz")
    }

    /// AWS encodes the already-encoded path again for every service but S3.
    @Test func encodedPathIsEncodedAgain() {
        #expect(CanonicalRequest.canonicalURI("/a%20b/") == "/a%2520b/")
        #expect(CanonicalRequest.canonicalURI("") == "/")
    }

    @Test func queryParameterWithoutValueGetsEmptyValue() {
        #expect(CanonicalRequest.canonicalQuery("b&a=1&&c=") == "a=1&b=&c=")
    }
}

// MARK: - Credentials

@Suite("AWSCredentials")
struct AWSCredentialsTests {
    @Test func renderingsNeverRevealSecretOrToken() {
        let credentials = AWSCredentials(
            accessKeyId: "AKIDEXAMPLE",
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            sessionToken: "token-that-must-not-leak"
        )
        var dumped = ""
        dump(credentials, to: &dumped)
        let renderings = [
            credentials.description,
            credentials.debugDescription,
            "\(credentials)",
            String(reflecting: credentials),
            dumped,
        ]
        for rendering in renderings {
            #expect(rendering.contains("AKIDEXAMPLE"))
            #expect(!rendering.contains("wJalrXUtnFEMI"))
            #expect(!rendering.contains("token-that-must-not-leak"))
            #expect(rendering.contains("<redacted>"))
        }
    }
}

fileprivate extension [(name: String, value: String)] {
    /// The value of the first header called `name` (exact spelling, as the signer returns it).
    func value(named name: String) -> String? {
        first { $0.name == name }?.value
    }
}
