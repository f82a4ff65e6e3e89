// `npm run schema:print`: rewrites graphql/schema.graphql from the resolvers (commit the result).
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { printSdl } from "../graphql/sdl";

printSdl().then((sdl) => {
  writeFileSync(path.join(__dirname, "..", "graphql", "schema.graphql"), sdl);
  console.log("graphql/schema.graphql written");
});
