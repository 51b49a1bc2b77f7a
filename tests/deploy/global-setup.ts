import { buildServer, buildWebAppIfStale } from '../helpers/build'

/** The deploy tests run the production build, as `npm run build` makes it. */
export default function setup(): void {
  buildWebAppIfStale()
  buildServer()
}
