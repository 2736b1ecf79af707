namespace Tune.Pipeline.Hosting.Tests;

public class ShownTests
{
    [Theory]
    [InlineData("tpe", "'tpe'")]
    [InlineData("a\nb", "'a\\nb'")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=a", Shown.Hidden)]
    [InlineData("postgresql://user:pw@host/db", Shown.Hidden)]
    [InlineData("https://a.blob.core.windows.net/c?sv=1&sig=x", Shown.Hidden)]
    [InlineData("my-secret-value", Shown.Hidden)]
    [InlineData("Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1u", Shown.Hidden)]
    public void Value_UserValue_IsQuotedOrHidden(string value, string expected)
    {
        var shown = Shown.Value(value);

        Assert.Equal(expected, shown);
    }

    [Fact]
    public void Line_LongerThanALine_IsCutAndItsLengthGiven()
    {
        var shown = Shown.Line(new string('x', 500));

        Assert.Equal(new string('x', Shown.MaxLength - 20) + "... (500 characters)", shown);
    }
}
