using System.Globalization;
using NasKit.Benchmarks;

namespace NasKit.Data;

/// <summary>
/// Explicit ratings for rating prediction: MovieLens ml-latest-small as Debian's <c>r-cran-dslabs</c> ships it
/// (100,004 ratings, 0.5–5 stars in half stars, of 9,066 movies by 671 users, each movie with its genres), exported
/// once by <c>scripts/setup.sh</c> to <c>movielens/ratings.csv</c> under the data locator. Users, movies and genres
/// are numbered densely in order of first appearance; a movie's genres are a set over <see cref="Genres"/>.
/// </summary>
public sealed class RatingData
{
    public const string RelativePath = "movielens/ratings.csv";
    /// <summary>Rows of the dslabs export; any other count means a truncated or foreign file.</summary>
    public const int MovieLensRatings = 100_004;
    public const double MinRating = 0.5, MaxRating = 5.0;

    public int[] User { get; }
    public int[] Movie { get; }
    public float[] Rating { get; }
    public int Users { get; }
    public int Movies { get; }
    public IReadOnlyList<string> Genres { get; }
    /// <summary>Per movie, the indices of its genres (at least one).</summary>
    public IReadOnlyList<int[]> MovieGenres { get; }
    public int Count => Rating.Length;

    private RatingData(int[] user, int[] movie, float[] rating, int users, int movies, IReadOnlyList<string> genres, IReadOnlyList<int[]> movieGenres)
        => (User, Movie, Rating, Users, Movies, Genres, MovieGenres) = (user, movie, rating, users, movies, genres, movieGenres);

    /// <summary>The dslabs export through the data locator, read and checked once per process.</summary>
    public static RatingData MovieLens(DataLocator? locator = null) =>
        (locator ?? DataLocator.Default).LoadOnce(l =>
        {
            string path;
            try { path = l.Find(RelativePath); }
            catch (DataNotFoundException e)
            {
                throw new DataNotFoundException(RelativePath, l.Roots,
                    "scripts/setup.sh exports it from Debian's r-cran-dslabs (Rscript scripts/export-movielens.R datasets/movielens/ratings.csv); run it, and run NasKit from inside the repository so its datasets/ folder is found", e);
            }
            var data = Read(path);
            if (data.Count != MovieLensRatings)
                throw new InvalidDataException($"{path}: {data.Count:N0} ratings, but the dslabs export has {MovieLensRatings:N0}; delete the file and rerun scripts/setup.sh.");
            return data;
        }, "movielens");

    /// <summary>Reads a CSV with the header <c>userId,movieId,rating,timestamp,genres</c> (genres '|'-separated), checking every value.</summary>
    public static RatingData Read(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header?.Replace("\"", "") != "userId,movieId,rating,timestamp,genres")
            throw new InvalidDataException($"{path}: the header is '{header}', expected userId,movieId,rating,timestamp,genres (the export of scripts/export-movielens.R).");
        using var csv = new CsvHelper.CsvParser(reader, CultureInfo.InvariantCulture);
        var rows = new List<(long User, long Movie, double Rating, string Genres)>();
        int line = 1;
        while (csv.Read())
        {
            line++;
            var f = csv.Record!;
            if (f.Length != 5) throw new InvalidDataException($"{path}, line {line}: {f.Length} fields, expected 5.");
            if (!long.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var u) || u < 1 ||
                !long.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) || m < 1)
                throw new InvalidDataException($"{path}, line {line}: user '{f[0]}' and movie '{f[1]}' must be positive integers.");
            if (!double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var r) || !(r >= MinRating && r <= MaxRating) || r * 2 != Math.Round(r * 2))
                throw new InvalidDataException($"{path}, line {line}: rating '{f[2]}' is not a half star in [{MinRating}, {MaxRating}].");
            if (string.IsNullOrWhiteSpace(f[4])) throw new InvalidDataException($"{path}, line {line}: the movie has no genres (the export writes '(no genres listed)').");
            rows.Add((u, m, r, f[4]));
        }
        if (rows.Count == 0) throw new InvalidDataException($"{path}: no ratings.");
        return FromRows(rows, path);
    }

    /// <summary>Ratings from rows (user id, movie id, stars, '|'-separated genres); ids need not be dense.</summary>
    public static RatingData FromRows(IReadOnlyList<(long User, long Movie, double Rating, string Genres)> rows, string source = "ratings")
    {
        var users = new Dictionary<long, int>();
        var movies = new Dictionary<long, int>();
        var genres = new Dictionary<string, int>(StringComparer.Ordinal);
        var movieGenres = new List<int[]>();
        var movieGenreText = new List<string>();
        var (u, m, r) = (new int[rows.Count], new int[rows.Count], new float[rows.Count]);
        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (!(row.Rating >= MinRating && row.Rating <= MaxRating)) throw new InvalidDataException($"{source}: rating {row.Rating} of row {i + 1} is outside [{MinRating}, {MaxRating}].");
            if (!users.TryGetValue(row.User, out u[i])) users[row.User] = u[i] = users.Count;
            if (!movies.TryGetValue(row.Movie, out m[i]))
            {
                movies[row.Movie] = m[i] = movies.Count;
                movieGenreText.Add(row.Genres);
                movieGenres.Add(row.Genres.Split('|').Select(g => genres.TryGetValue(g, out var k) ? k : genres[g] = genres.Count).Distinct().ToArray());
            }
            else if (movieGenreText[m[i]] != row.Genres)
                throw new InvalidDataException($"{source}: movie {row.Movie} has genres '{movieGenreText[m[i]]}' and '{row.Genres}' in different rows.");
            if (!seen.Add((u[i], m[i]))) throw new InvalidDataException($"{source}: user {row.User} rated movie {row.Movie} twice.");
            r[i] = (float)row.Rating;
        }
        return new RatingData(u, m, r, users.Count, movies.Count, genres.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray(), movieGenres);
    }

    /// <summary>The mean rating over some rows.</summary>
    public double Mean(IReadOnlyList<int> rows) => rows.Count == 0 ? throw new ArgumentException("No rows.") : rows.Average(i => (double)Rating[i]);

    /// <summary>
    /// A seeded random split: <paramref name="testFraction"/> of the ratings for test, then <paramref name="devFraction"/>
    /// of the rest for development (model selection and early stopping), the remainder for training. A test or
    /// development rating whose user or movie never occurs in training moves to training, as in the dslabs book's
    /// MovieLens chapter, so every evaluated pair has learned embeddings; the sizes say how many moved.
    /// </summary>
    public RatingSplit Split(int seed, double testFraction = 0.2, double devFraction = 0.1)
    {
        if (!(testFraction > 0 && testFraction < 1) || !(devFraction >= 0 && devFraction < 1))
            throw new ArgumentException($"The test fraction must lie in (0, 1) and the development fraction in [0, 1); got {testFraction} and {devFraction}.");
        var order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        int nTest = (int)Math.Round(testFraction * Count);
        var test = order[..nTest];
        var rest = order[nTest..];
        int nDev = (int)Math.Round(devFraction * rest.Length);
        var dev = rest[..nDev];
        var train = rest[nDev..].ToList();

        // Move held-out ratings of users or movies training never sees; a moved rating can make another one seen.
        var userSeen = new bool[Users];
        var movieSeen = new bool[Movies];
        foreach (var i in train) { userSeen[User[i]] = true; movieSeen[Movie[i]] = true; }
        List<int> Keep(int[] heldOut)
        {
            var kept = new List<int>();
            foreach (var i in heldOut)
            {
                if (userSeen[User[i]] && movieSeen[Movie[i]]) kept.Add(i);
                else { train.Add(i); userSeen[User[i]] = movieSeen[Movie[i]] = true; }
            }
            return kept;
        }
        var devKept = Keep(dev);
        var testKept = Keep(test);
        return new RatingSplit(train.ToArray(), devKept.ToArray(), testKept.ToArray(), seed);
    }
}

/// <summary>Row indices of a split of <see cref="RatingData"/>: training, development and test ratings, disjoint.</summary>
public sealed record RatingSplit(int[] Train, int[] Dev, int[] Test, int Seed)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"seed {Seed}: {Train.Length:N0} training, {Dev.Length:N0} development, {Test.Length:N0} test ratings");
}
