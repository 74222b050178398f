using System.Text;
using PerfTools.Shared.Cli;

namespace PerfTools.Tests.Cli;

/// <summary>What <see cref="Redactor"/> masks, by value and by place. The tools' end-to-end proof (secrets echoed by real
/// servers, searched for in every output) is <c>Hardening/SecretsTests</c>.</summary>
public sealed class RedactorTests
{
    private const string HeaderToken = "hdr-SECRET-6b1f0c93";
    private const string Password = "pw-SECRET-93c1aa";

    [TestCase("redirect to http://bob:" + Password + "@other.example/x refused", "redirect to http://***@other.example/x refused")]
    [TestCase("Location: https://u@h.example:8443/p", "Location: https://***@h.example:8443/p")]
    [TestCase("GET http://h/x?access_token=abc123&page=2", "GET http://h/x?access_token=***&page=2")]
    [TestCase("http://h/x?q=1&API_KEY=k-9&Password=p#top", "http://h/x?q=1&API_KEY=***&Password=***#top")]
    [TestCase("server said (Set-Cookie: sid=42; Path=/)", "server said (Set-Cookie: ***; Path=/)")]
    [TestCase("<p>Authorization: Basic dXNlcjpwYXNz</p> more", "<p>Authorization: ***</p> more")]
    [TestCase("x-auth-token:abc, next", "x-auth-token:***, next")]
    [TestCase("http://localhost:8080/boards and GET /boards/{id}", "http://localhost:8080/boards and GET /boards/{id}")]
    [TestCase("Accept: text/plain", "Accept: text/plain")]
    public void Redact_SecretsNotKnownInAdvance_MaskedByPlace(string text, string expected) =>
        Assert.That(Redactor.None.Redact(text), Is.EqualTo(expected));

    [Test]
    public void Redact_ShortSecret_MaskedByPlaceOnly()
    {
        var redactor = new Redactor(["abc", HeaderToken]);

        Assert.That(redactor.Redact($"abc Authorization: Bearer abc {HeaderToken}"), Is.EqualTo("abc Authorization: *** ***"));
    }

    [Test]
    public void Redact_SecretInsideALongerOne_TheLongerMaskedWhole()
    {
        var redactor = new Redactor(["token-1234", "xx-token-1234-yy", null, "  ", Redactor.Mask]);

        Assert.That(redactor.Redact("a xx-token-1234-yy b token-1234 c"), Is.EqualTo("a *** b *** c"), "not xx-***-yy");
    }

    [Test]
    public void Redact_Url_UserInfoAndKnownSecretsMasked()
    {
        var redactor = new Redactor([HeaderToken]);

        Assert.That(redactor.Redact(new Uri($"http://alice:{Password}@h.example/{HeaderToken}")), Is.EqualTo("http://***@h.example/***"));
    }

    [TestCase(null)]
    [TestCase("")]
    public void Redact_NothingToMask_ReturnedAsItIs(string? text) =>
        Assert.That(new Redactor([HeaderToken]).Redact(text!), Is.EqualTo(text));

    [Test]
    public void ForCommandLine_EveryWayASecretIsGiven_AllMasked()
    {
        var redactor = Redactor.ForCommandLine(
            ["--header=Authorization: Bearer tok-111111", "--header", "Accept: text/plain", "X-Api-Key: key-222222",
             "--base-url", "http://us%40er:p%3Ass-333333@h.example/"],
            "env-444444", null);
        string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("us@er:p:ss-333333"));

        string text = redactor.Redact($"tok-111111 key-222222 p%3Ass-333333 p:ss-333333 {basic} env-444444 text/plain");

        Assert.That(text, Is.EqualTo("*** *** *** *** *** *** text/plain"));
    }

    [Test]
    public void ForCommandLine_HeaderThatCarriesNoCredential_ValueKept()
    {
        var redactor = Redactor.ForCommandLine(["--header", "X-Request-ID: req-555555", "--header", "Bad Name: pw-666666"]);

        Assert.That(redactor.Redact("req-555555 pw-666666"), Is.EqualTo("req-555555 pw-666666"),
            "neither a credential header nor a header at all (a name with a space)");
    }

    [TestCase("Authorization", true)]
    [TestCase("proxy-authorization", true)]
    [TestCase("Cookie", true)]
    [TestCase("Set-Cookie", true)]
    [TestCase("X-Api-Key", true)]
    [TestCase("X-API_KEY", true)]
    [TestCase("apikey", true)]
    [TestCase("X-Auth-Token", true)]
    [TestCase("X-Client-Secret", true)]
    [TestCase("X-Password", true)]
    [TestCase("Accept", false)]
    [TestCase("Content-Type", false)]
    [TestCase("X-Request-ID", false)]
    [TestCase("traceparent", false)]
    public void IsCredentialHeader_Name_Recognised(string name, bool expected) =>
        Assert.That(Redactor.IsCredentialHeader(name), Is.EqualTo(expected));
}
