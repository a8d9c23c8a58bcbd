# Routescope Gateway container image.
#
#   docker build -t routescope-gateway .
#   docker run --rm -p 8080:8080 -p 127.0.0.1:9090:9090 -v gateway-data:/data \
#     -e ROUTESCOPE_API_KEY=... -e Admin__Urls=http://0.0.0.0:9090 routescope-gateway
#
# Without ROUTESCOPE_API_KEY the gateway refuses to start, unless GATEWAY_DEMO=true asks for the built-in demo upstream.
# The CLI lives in the same binary, so the image's entrypoint accepts its commands too:
#   docker run --rm -v gateway-data:/data routescope-gateway keys create --name team-a
#   docker exec <container> dotnet Gateway.dll keys list
#
# Base images: pinned by digest through the two ARGs below. A pin is "<repository>:<tag>@sha256:<digest>"; the tag
# stays for the reader, the digest decides. To pin or refresh (e.g. monthly, for the base images' security fixes),
# read the current multi-platform index digests and write them into the ARG defaults, then build and test:
#   docker buildx imagetools inspect mcr.microsoft.com/dotnet/sdk:10.0 --format '{{json .Manifest.Digest}}'
#   docker buildx imagetools inspect mcr.microsoft.com/dotnet/aspnet:10.0 --format '{{json .Manifest.Digest}}'
#   (or: docker pull <image> && docker inspect --format '{{index .RepoDigests 0}}' <image>)
# A build can also be pinned from outside: docker build --build-arg ASPNET_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0@sha256:…
# Where the pins below come from: no registry was reachable where they were written, so they are the sdk:10.0 and
# aspnet:10.0 index digests that two unrelated public projects pinned together (their builds pull them), not digests
# read from the registry here. The registry keeps old digests, so a pin only ages: refresh it with the commands above.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0@sha256:ea8bde36c11b6e7eec2656d0e59101d4462f6bd630730f2c8201ed0572b295d5
ARG ASPNET_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0@sha256:7644f992230d35cf230017189d4038c0ae0f7388b13f4f7ae1900a155bafb597

# ---------------------------------------------------------------------------------------------------------------
# Build stage. global.json pins SDK 10.0.100 with rollForward latestFeature, so any 10.0.x SDK of this tag is accepted.
FROM ${SDK_IMAGE} AS build
WORKDIR /src

# Restore from the build inputs alone first, so editing sources does not invalidate the package layer.
# (Add Directory.Build.targets etc. here if they are introduced: they take part in restore.)
COPY global.json Directory.*.props .editorconfig Gateway.sln ./
COPY src/Gateway/Gateway.csproj src/Gateway/
COPY src/Routescope.Fake/Routescope.Fake.csproj src/Routescope.Fake/
# For linux-x64 only (the runtime stage is glibc on x64): the portable publish also carried the native
# SQLite builds of 21 other platforms, 33 of its 40 MB; this one is 8.6 MB.
RUN dotnet restore src/Gateway/Gateway.csproj -r linux-x64

# .dockerignore keeps the host's bin/ and obj/ out, so the restore above stays authoritative.
COPY src/ src/
RUN dotnet publish src/Gateway/Gateway.csproj -c Release -r linux-x64 --self-contained false -o /app --no-restore

# ---------------------------------------------------------------------------------------------------------------
# Runtime stage: ASP.NET Core runtime only, no SDK, no shell tools beyond the Debian base.
FROM ${ASPNET_IMAGE} AS runtime
WORKDIR /app

# The base image's ASPNETCORE_HTTP_PORTS=8080 decides the public port (a platform may set it, or ASPNETCORE_URLS, to
# another). Admin__Urls (e.g. http://0.0.0.0:9090) puts /admin and /metrics on a port of their own; compose and the
# Kubernetes manifests set it. GATEWAY_DATA_DIR is where the SQLite database and the usage journal live.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    GATEWAY_DATA_DIR=/data

# The data directory must exist and belong to the non-root `app` user (uid/gid $APP_UID, 1654 in the .NET images)
# before VOLUME is declared: a fresh named volume is initialised from it, ownership included.
# (A bind-mounted host directory keeps its own ownership: make it writable by uid 1654.)
# /spool: where compose spools large request bodies (Limits:TempDirectory), on a volume of its own.
RUN mkdir -p /data /spool && chown "$APP_UID:$APP_UID" /data /spool

# Application files stay root-owned (read-only for the app user). The gateway reads appsettings.json from its
# working directory (the content root), exactly as `dotnet run` does from the repository root; Kubernetes mounts
# its ConfigMap over this copy.
COPY --from=build /app ./
COPY appsettings.json ./

USER $APP_UID
VOLUME /data
EXPOSE 8080 9090

# The image has no curl or wget: the gateway probes itself (GET /healthz on its own public address, from the same
# listen settings; exit 0 on 200, else 1, within 3 s; it opens no store). Kubernetes uses its own httpGet probes.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["dotnet", "Gateway.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "Gateway.dll"]
