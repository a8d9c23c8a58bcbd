# Routescope Gateway container image.
#
#   docker build -t routescope-gateway .
#   docker run --rm -p 8080:8080 -v gateway-data:/data -e ROUTESCOPE_API_KEY=... routescope-gateway
#
# Without ROUTESCOPE_API_KEY (and ROUTESCOPE_BASE_URL) the gateway forwards to its built-in demo upstream.
# The CLI lives in the same binary, so the image's entrypoint accepts its commands too:
#   docker run --rm -v gateway-data:/data routescope-gateway keys create --name team-a
#   docker exec <container> dotnet Gateway.dll keys list

# ---------------------------------------------------------------------------------------------------------------
# Build stage. global.json pins SDK 10.0.100 with rollForward latestFeature, so any 10.0.x SDK of this tag is accepted.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore from the build inputs alone first, so editing sources does not invalidate the package layer.
# (Add Directory.Build.targets etc. here if they are introduced: they take part in restore.)
COPY global.json Directory.*.props .editorconfig Gateway.sln ./
COPY src/Gateway/Gateway.csproj src/Gateway/
COPY src/Routescope.Fake/Routescope.Fake.csproj src/Routescope.Fake/
RUN dotnet restore src/Gateway/Gateway.csproj

# .dockerignore keeps the host's bin/ and obj/ out, so the restore above stays authoritative.
COPY src/ src/
RUN dotnet publish src/Gateway/Gateway.csproj -c Release -o /app --no-restore

# ---------------------------------------------------------------------------------------------------------------
# Runtime stage: ASP.NET Core runtime only, no SDK, no shell tools beyond the Debian base.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# The base image's ASPNETCORE_HTTP_PORTS=8080 decides the port (a platform may set it, or ASPNETCORE_URLS, to another).
# GATEWAY_DATA_DIR is where the SQLite database lives.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    GATEWAY_DATA_DIR=/data

# The data directory must exist and belong to the non-root `app` user (uid/gid $APP_UID, 1654 in the .NET images)
# before VOLUME is declared: a fresh named volume is initialised from it, ownership included.
# (A bind-mounted host directory keeps its own ownership: make it writable by uid 1654.)
RUN mkdir -p /data && chown "$APP_UID:$APP_UID" /data

# Application files stay root-owned (read-only for the app user). The gateway reads appsettings.json from its
# working directory (the content root), exactly as `dotnet run` does from the repository root.
COPY --from=build /app ./
COPY appsettings.json ./

USER $APP_UID
VOLUME /data
EXPOSE 8080

# No HEALTHCHECK: the aspnet image has neither curl nor wget, and adding one only for probing is not worth the
# attack surface. Orchestrators probe instead: GET /healthz (liveness) and GET /readyz (readiness) on port 8080.
ENTRYPOINT ["dotnet", "Gateway.dll"]
