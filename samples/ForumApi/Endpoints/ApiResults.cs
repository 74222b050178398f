using ForumApi.Models;

namespace ForumApi.Endpoints;

/// <summary>The JSON error replies shared by every endpoint, so bad input never turns into a 500.</summary>
internal static class ApiResults
{
    public static IResult BadRequest(string error) => Results.Json(new ErrorBody(error), statusCode: StatusCodes.Status400BadRequest);

    public static IResult NotFound(string error) => Results.Json(new ErrorBody(error), statusCode: StatusCodes.Status404NotFound);

    /// <summary>Ids are positive integers; anything else cannot name a row, so it is a 404 like an unknown id.</summary>
    public static bool TryParseId(string raw, out long id) =>
        long.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id) && id > 0;
}
